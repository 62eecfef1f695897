from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "gongkai.signoff"
    verbose_name = "审核签发"

    def ready(self) -> None:
        from gongkai.signoff import actions  # noqa: F401, PLC0415  (registers event codes)
