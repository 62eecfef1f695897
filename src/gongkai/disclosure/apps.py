from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    verbose_name = "主动公开"

    def ready(self) -> None:
        # Registers event codes and connects the agency / sign-off signal receivers.
        from gongkai.disclosure import actions, receivers  # noqa: F401, PLC0415
