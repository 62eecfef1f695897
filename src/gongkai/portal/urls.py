"""Public portal URLs (the site root)."""

from django.urls import path

from gongkai.portal import letter_download, search, views, views_apply

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
    # 依申请公开: the online application and tracking (views_apply.py)
    path("agencies/<int:agency>/apply/", views_apply.apply, name="apply"),
    path("apply/captcha/<str:key>/", views_apply.captcha_image, name="captcha_image"),
    path("track/", views_apply.track, name="track"),
    path("track/status/", views_apply.track_status, name="track_status"),
    path("track/end/", views_apply.track_end, name="track_end"),
    path("track/letters/<int:pk>/", views_apply.track_letter, name="track_letter"),
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
