from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "gongkai.workdays"
    verbose_name = "节假日安排"

    def ready(self) -> None:
        from gongkai.workdays import actions  # noqa: F401, PLC0415  (registers action codes)
