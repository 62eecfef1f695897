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


@allow("GET")
@page_cache.cached_page(scope=page_cache.site)
def search_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    q = (params.get("q") or "")[: MAX_QUERY_CHARS * 4]
    agencies = list(Agency.objects.filter(active=True).order_by("name").only("pk", "name"))
    agency_id = _int(params.get("agency"))
    agency = next((a for a in agencies if a.pk == agency_id), None)
    columns: list[Column] = []
    column = None
    if agency is not None:
        columns = list(
            Column.objects.filter(agency=agency, active=True)
            .exclude(kind="group")
            .order_by("parent_id", "position", "pk")
            .only("pk", "name")
        )
        column_id = _int(params.get("column"))
        column = next((c for c in columns if c.pk == column_id), None)
    this_year = timezone.localdate().year
    year = _int(params.get("year"), FIRST_YEAR, this_year)
    subject = params.get("subject", "") if params.get("subject", "") in SUBJECTS else ""
    validity = params.get("validity", "") if params.get("validity", "") in Validity.values else ""
    page = _int(params.get("page"), 1, MAX_PAGE) or 1
    chosen = {
        "agency": agency.pk if agency else "",
        "column": column.pk if column else "",
        "year": year or "",
        "subject": subject,
        "validity": validity,
    }
    context: dict[str, Any] = {
        "q": q.strip(),
        "agencies": agencies,
        "columns": columns,
        "years": list(range(this_year, FIRST_YEAR - 1, -1)),
        "subjects": SUBJECTS,
        "validities": Validity.choices,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "max_chars": MAX_QUERY_CHARS,
    }
    if q.strip():
        try:
            results = search(
                q,
                filters=Filters(
                    agency=agency.pk if agency else None,
                    column=column.pk if column else None,
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
