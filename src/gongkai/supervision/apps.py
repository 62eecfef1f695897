from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    verbose_name = "年报监督"

    def ready(self) -> None:
        from gongkai.supervision import actions  # noqa: F401, PLC0415  (registers event codes)
