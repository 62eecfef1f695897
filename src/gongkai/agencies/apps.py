from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "gongkai.agencies"
    verbose_name = "机关与人员"

    def ready(self) -> None:
        # Imported for their side effects: action codes are registered, auth receivers connected.
        from gongkai.agencies import actions, auth_events  # noqa: F401, PLC0415
