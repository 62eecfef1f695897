"""The public search page ``/search/?q=…``: a plain GET form (works without JavaScript).

Filters that do not parse or do not exist are dropped (never a 500); a bad query shows its
Chinese message above the form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from gongkai.agencies.models import Agency
from gongkai.disclosure.defaults import SUBJECTS
from gongkai.disclosure.models import Column, Validity
from gongkai.portal import cache as page_cache
from gongkai.search.backends import Filters
from gongkai.search.query import MAX_PAGE, MAX_QUERY_CHARS, QueryError, search
from gongkai.security.methods import allow

PER_PAGE = 10
FIRST_YEAR = 2008  # 《政府信息公开条例》施行


def _int(raw: str | None, low: int = 1, high: int = 2**31 - 1) -> int | None:
    try:
        value = int((raw or "").strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def _options(choices: list[tuple[Any, str]], chosen: Any) -> SafeString:
    """A select's options, built here: the agency list of a province is hundreds long, and
    the template loop cost more than the search itself."""
    selected = mark_safe(" selected")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, selected if value == chosen else "", label) for value, label in choices),
    )


@allow("GET")
@page_cache.cached_page(scope=page_cache.site)
def search_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    q = (params.get("q") or "")[: MAX_QUERY_CHARS * 4]
    agencies = list(Agency.objects.filter(active=True).order_by("name").values_list("pk", "name"))
    agency_id = _int(params.get("agency"))
    agency = agency_id if any(pk == agency_id for pk, _ in agencies) else None
    columns: list[tuple[int, str]] = []
    column = None
    if agency is not None:
        columns = list(
            Column.objects.filter(agency_id=agency, active=True)
            .exclude(kind="group")
            .order_by("parent_id", "position", "pk")
            .values_list("pk", "name")
        )
        column_id = _int(params.get("column"))
        column = column_id if any(pk == column_id for pk, _ in columns) else None
    this_year = timezone.localdate().year
    year = _int(params.get("year"), FIRST_YEAR, this_year)
    subject = params.get("subject", "") if params.get("subject", "") in SUBJECTS else ""
    validity = params.get("validity", "") if params.get("validity", "") in Validity.values else ""
    page = _int(params.get("page"), 1, MAX_PAGE) or 1
    chosen = {
        "agency": agency or "",
        "column": column or "",
        "year": year or "",
        "subject": subject,
        "validity": validity,
    }
    years = [(y, f"{y} 年") for y in range(this_year, FIRST_YEAR - 1, -1)]
    context: dict[str, Any] = {
        "q": q.strip(),
        "columns": columns,
        "options": {
            "agency": _options(agencies, agency),
            "column": _options(columns, column),
            "year": _options(years, year),
            "subject": _options([(s, s) for s in SUBJECTS], subject),
            "validity": _options(Validity.choices, validity),
        },
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "max_chars": MAX_QUERY_CHARS,
    }
    if q.strip():
        try:
            results = search(
                q,
                filters=Filters(
                    agency=agency,
                    column=column,
                    year=year,
                    subject=subject,
                    validity=validity,
                ),
                page=page,
                per_page=PER_PAGE,
            )
        except QueryError as exc:
            context["error"] = str(exc)
        else:
            base = {"q": results.query, **{k: v for k, v in chosen.items() if v}}
            context["results"] = results
            context["start"] = (results.page - 1) * PER_PAGE + 1
            context["prev_url"] = "?" + urlencode({**base, "page": results.page - 1})
            context["next_url"] = "?" + urlencode({**base, "page": results.page + 1})
    return render(request, "portal/search.html", context)
