from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "gongkai.workspace"
    verbose_name = "工作台"

    def ready(self) -> None:
        # Registers the 主动公开 inbox providers after the generic ones.
        from gongkai.workspace import inbox_disclosure  # noqa: F401, PLC0415
