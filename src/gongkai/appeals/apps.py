from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "gongkai.appeals"
    verbose_name = "行政复议和行政诉讼"

    def ready(self) -> None:
        from gongkai.appeals import actions  # noqa: F401, PLC0415
