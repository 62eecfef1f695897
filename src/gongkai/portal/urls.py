"""Public portal URLs (the site root)."""

from django.urls import path

from gongkai.portal import search, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("prefs/", views.set_prefs, name="prefs"),
    path("search/", search.search_page, name="search"),
    path("agencies/<int:agency>/", views.agency_page, name="agency"),
    path("agencies/<int:agency>/guide/", views.guide_page, name="guide"),
    path("agencies/<int:agency>/columns/<int:column>/", views.column_page, name="column"),
    path("agencies/<int:agency>/items/<int:item>/", views.item_page, name="item"),
    path(
        "agencies/<int:agency>/items/<int:item>/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
