from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    verbose_name = "年报监督"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from gongkai.supervision import actions  # noqa: F401, PLC0415  (registers event codes)
        from gongkai.supervision.access import remember_supervisor  # noqa: PLC0415

        user_logged_in.connect(remember_supervisor, dispatch_uid="supervision.remember")
