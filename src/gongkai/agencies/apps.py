from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "gongkai.agencies"
    verbose_name = "机关与人员"

    def ready(self) -> None:
        from gongkai.agencies import actions  # noqa: F401, PLC0415  (registers action codes)
