"""URLs of bench/portal.py's server: the platform's, plus the ceiling view."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from gongkai.security.methods import allow


@allow("GET")
def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("__ceiling__/", ceiling), path("", include("gongkai.urls"))]
