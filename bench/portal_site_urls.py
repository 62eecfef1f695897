"""URLs of bench/portal.py's server: the platform's, plus the ceiling view."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from gongkai.security.methods import allow

# A body as large as a typical portal page: the ceiling for pages of that size on the wire.
PAGE_SIZED = "<!doctype html><title>ok</title>" + "<p>" + "公开" * 2300 + "</p>"


@allow("GET")
def ceiling(request: HttpRequest) -> HttpResponse:
    if request.GET.get("size") == "page":
        return HttpResponse(PAGE_SIZED)
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("__ceiling__/", ceiling), path("", include("gongkai.urls"))]
