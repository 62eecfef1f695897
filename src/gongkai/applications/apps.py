from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.applications import actions, receivers  # noqa: F401, PLC0415
