"""Public portal URLs (the site root)."""

from django.urls import path

from gongkai.portal import letter_download, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<int:agency>/", views.agency_page, name="agency"),
    path("agencies/<int:agency>/columns/<int:column>/", views.column_page, name="column"),
    path("agencies/<int:agency>/items/<int:item>/", views.item_page, name="item"),
    path(
        "agencies/<int:agency>/items/<int:item>/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    # an answer delivered online: the applicant's expiring download link
    path("letters/<str:token>/", letter_download.letter_download, name="letter_download"),
    path(
        "letters/<str:token>/letter.pdf",
        letter_download.letter_download_pdf,
        name="letter_download_pdf",
    ),
    path(
        "letters/<str:token>/files/<int:pk>/",
        letter_download.letter_download_file,
        name="letter_download_file",
    ),
]
