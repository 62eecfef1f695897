"""Public portal pages: anonymous, read-only, only what is already public."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.agencies.models import Agency
from gongkai.disclosure.models import SUBJECT_CHOICES, Column, Validity
from gongkai.disclosure.sanitize import sanitize_html
from gongkai.disclosure.states import ItemStatus
from gongkai.portal import selectors
from gongkai.security.methods import allow

PAGE_SIZE = 20


@allow("GET")
def home(request: HttpRequest) -> HttpResponse:
    agencies = (
        Agency.objects.filter(active=True).select_related("region").order_by("region__path", "name")
    )
    regions: list[tuple[object, list[Agency]]] = []
    for agency in agencies:
        if not regions or regions[-1][0] != agency.region:
            regions.append((agency.region, []))
        regions[-1][1].append(agency)
    return render(request, "portal/home.html", {"regions": regions})


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


@allow("GET")
def agency_page(request: HttpRequest, agency: int) -> HttpResponse:
    obj = selectors.get_public_agency(agency)
    return render(request, "portal/agency.html", {"agency": obj, "tree": _tree(obj)})


@allow("GET")
def column_page(request: HttpRequest, agency: int, column: int) -> HttpResponse:
    obj = selectors.get_public_agency(agency)
    col = selectors.get_public_column(obj, column)
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
        {"agency": obj, "column": col, "page": page, "tree": _tree(obj)},
    )


@allow("GET")
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
