from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    verbose_name = "公开门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.portal import receivers  # noqa: PLC0415 - models are ready only now

        receivers.connect()
