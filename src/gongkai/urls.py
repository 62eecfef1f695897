"""Root URL configuration: admin, the holiday calendar page and the staff workspace."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "公开 Gongkai 管理后台"
admin.site.site_title = "公开 Gongkai"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("calendar/", include("gongkai.workdays.urls")),
    path("", include("gongkai.workspace.urls")),
]
