from django.apps import AppConfig


class EventlogConfig(AppConfig):
    name = "gongkai.eventlog"
    verbose_name = "事件日志"

    def ready(self) -> None:
        from gongkai.eventlog import actions  # noqa: F401, PLC0415  (registers action codes)
