"""Root URL configuration: the public portal at ``/``, the staff workspace under ``/workspace/``.

The workspace lived at the site root until issue 11; ``gongkai.portal.legacy`` redirects its
old paths so bookmarks keep working.
"""

from django.contrib import admin
from django.urls import include, path

from gongkai.portal import legacy

admin.site.site_header = "公开 Gongkai 管理后台"
admin.site.site_title = "公开 Gongkai"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("workspace/calendar/", include("gongkai.workdays.urls")),
    path("workspace/", include("gongkai.workspace.urls")),
    path("", include((legacy.urlpatterns, "legacy"))),
    path("", include("gongkai.portal.urls")),
]
