"""Public portal pages: anonymous, read-only, only what is already public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.agencies.models import Agency
from gongkai.security.methods import allow


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
