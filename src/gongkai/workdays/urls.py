from django.urls import path

from gongkai.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_overview, name="overview"),
]
