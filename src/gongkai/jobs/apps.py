from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "gongkai.jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # Periodic jobs register themselves when their app's tasks module is imported; import
        # every app's ``tasks`` now so the scheduler and `gongkai worker` see all of them.
        autodiscover_modules("tasks")
