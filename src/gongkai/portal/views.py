"""Public portal pages: anonymous, read-only, only what is already public."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from gongkai.agencies.models import Agency
from gongkai.disclosure import guide
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.defaults import GUIDE_COLUMN, RULES_COLUMN, STATUTORY_GROUP
from gongkai.disclosure.models import SUBJECT_CHOICES, Column, ColumnKind, Validity
from gongkai.disclosure.sanitize import sanitize_html
from gongkai.disclosure.states import ItemStatus
from gongkai.portal import cache, prefs, selectors
from gongkai.security.methods import allow

PAGE_SIZE = 20
LATEST = 10  # items in the home page's 最新公开


@allow("GET")
@cache.cached_page(scope=cache.site)
def home(request: HttpRequest) -> HttpResponse:
    agencies = (
        Agency.objects.filter(active=True).select_related("region").order_by("region__path", "name")
    )
    regions: list[tuple[object, list[Agency]]] = []
    for agency in agencies:
        if not regions or regions[-1][0] != agency.region:
            regions.append((agency.region, []))
        regions[-1][1].append(agency)
    latest = (
        selectors.public_items()
        .filter(agency__active=True)
        .select_related("agency", "column", "published_revision")
        .order_by("-published_at", "-pk")[:LATEST]
    )
    return render(request, "portal/home.html", {"regions": regions, "latest": latest})


def _tree(agency: Agency) -> list[tuple[Column, int]]:
    columns = list(Column.objects.filter(agency=agency, active=True))
    children: dict[int | None, list[Column]] = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column)
    out: list[tuple[Column, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for column in sorted(children.get(parent, []), key=lambda c: (c.position, c.pk)):
            out.append((column, depth))
            walk(column.pk, depth + 1)

    walk(None, 0)
    return out


def _fixed(tree: list[tuple[Column, int]]) -> dict[str, Column | None]:
    """The 专栏's fixed entries among the root columns (None where the agency has none)."""
    roots = [c for c, depth in tree if depth == 0]
    by_name = {c.name: c for c in roots}
    return {
        "guide": by_name.get(GUIDE_COLUMN),
        "rules": by_name.get(RULES_COLUMN),
        "statutory": by_name.get(STATUTORY_GROUP),
        "annual": next((c for c in roots if c.kind == ColumnKind.ANNUAL_REPORT), None),
    }


@allow("GET")
@cache.cached_page(scope=cache.agency)
def agency_page(request: HttpRequest, agency: int) -> HttpResponse:
    obj = selectors.get_public_agency(agency)
    tree = _tree(obj)
    fixed = _fixed(tree)
    statutory = fixed["statutory"]
    # The statutory group's subtree, then every other root column that is not a fixed entry.
    in_group: list[tuple[Column, int]] = []
    others: list[tuple[Column, int]] = []
    fixed_ids = {c.pk for c in fixed.values() if c is not None}
    current = None
    for column, depth in tree:
        if depth == 0:
            current = column
        if statutory is not None and current is statutory and column is not statutory:
            in_group.append((column, depth - 1))
        elif current is not None and current.pk not in fixed_ids:
            others.append((column, depth))
    return render(
        request,
        "portal/agency.html",
        {"agency": obj, "fixed": fixed, "statutory_tree": in_group, "other_tree": others},
    )


def _page_context(item: object) -> dict[str, object]:
    if item is None:
        return {"page_item": None}
    revision = item.published_revision  # type: ignore[attr-defined]
    return {
        "page_item": item,
        "revision": revision,
        "body": sanitize_html(revision.body or ""),
        "attachments": list(revision.attachments.all()),
    }


@allow("GET")
@cache.cached_page(scope=cache.agency)
def guide_page(request: HttpRequest, agency: int) -> HttpResponse:
    """The published 政府信息公开指南, or — until there is one — the text generated from the
    agency's registered settings, labelled as such (never an empty page)."""
    obj = selectors.get_public_agency(agency)
    tree = _tree(obj)
    column = _fixed(tree)["guide"]
    item = selectors.published_page_item(column) if column is not None else None
    context: dict[str, object] = {"agency": obj, "column": column, "tree": tree}
    context |= _page_context(item)
    if item is None:
        facts = disclosure.guide_facts(obj)
        context |= {
            "generated_title": guide.guide_title(facts),
            "generated_body": sanitize_html(guide.guide_html(facts)),
            "generated_label": guide.GENERATED_LABEL,
        }
    return render(request, "portal/guide.html", context)


@allow("GET")
@cache.cached_page(scope=cache.agency)
def column_page(request: HttpRequest, agency: int, column: int) -> HttpResponse:
    obj = selectors.get_public_agency(agency)
    col = selectors.get_public_column(obj, column)
    if col.parent_id is None and col.name == GUIDE_COLUMN:
        return redirect("portal:guide", agency=obj.pk)
    if col.kind == ColumnKind.SINGLE_PAGE:
        # 制度, 机构职能…: the page itself, or the column's no-content statement.
        context = {"agency": obj, "column": col, "tree": _tree(obj)}
        context |= _page_context(selectors.published_page_item(col))
        return render(request, "portal/single_page.html", context)
    tree = _tree(obj)
    if col.kind == ColumnKind.GROUP:
        # A group holds columns, not items: its page lists them (never an empty page).
        children = [c for c, _depth in tree if c.parent_id == col.pk]
        return render(
            request,
            "portal/column.html",
            {"agency": obj, "column": col, "children": children, "tree": tree},
        )
    items = (
        selectors.public_items()
        .filter(agency=obj, column=col)
        .select_related("published_revision")
        .order_by("-published_at", "-pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/column.html",
        {"agency": obj, "column": col, "page": page, "tree": tree},
    )


def _person(user: object | None) -> str:
    """A staff member as the public sees them: the name, never the login unless that is all."""
    if user is None:
        return ""
    return getattr(user, "display_name", "") or getattr(user, "username", "")


@allow("GET")
@cache.cached_page(scope=cache.agency)
def item_page(request: HttpRequest, agency: int, item: int) -> HttpResponse:
    obj = selectors.get_public_agency(agency)
    it = selectors.get_public_item(obj, item)
    revision = it.published_revision
    meta = revision.metadata or {}
    subjects = dict(SUBJECT_CHOICES)
    withdrawn = it.status == ItemStatus.WITHDRAWN
    return render(
        request,
        "portal/item.html",
        {
            "agency": obj,
            "item": it,
            "revision": revision,
            # Sanitised on save already; again here because this page is public.
            "body": sanitize_html(revision.body or ""),
            "withdrawn": withdrawn,
            "meta": {
                "issuing_body": meta.get("issuing_body", ""),
                "doc_number": meta.get("doc_number", ""),
                "written_date": meta.get("written_date", ""),
                "subject": subjects.get(meta.get("subject", ""), meta.get("subject", "")),
                "validity": Validity(meta["validity"]).label
                if meta.get("validity") in Validity.values
                else "",
                "publisher": _person(it.publisher),
                "signer": _person(it.signer),
            },
            "attachments": [] if withdrawn else list(revision.attachments.all()),
        },
    )


@allow("GET")
def attachment_download(request: HttpRequest, agency: int, item: int, pk: int) -> FileResponse:
    obj = selectors.get_public_agency(agency)
    it = selectors.get_public_item(obj, item)
    attachment = selectors.get_public_attachment(it, pk)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


@allow("GET")
def set_prefs(request: HttpRequest) -> HttpResponseRedirect:
    """The font-size / 长辈版 switch: plain links, no JavaScript. Sets the cookie read by
    :func:`gongkai.portal.prefs.from_request` and goes back to ``next`` when it is a path on
    this site (anything else — other hosts, schemes, ``//evil`` — goes to the home page)."""
    chosen = prefs.updated(prefs.from_request(request), request.GET)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    if chosen.is_default:
        response.delete_cookie(prefs.COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            prefs.COOKIE,
            chosen.cookie_value,
            max_age=prefs.COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response
