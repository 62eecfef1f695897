"""The admin site every ModelAdmin is registered on mixes the event-log auditing in.

Installed through ``gongkai.eventlog.admin_apps.AuditedAdminConfig`` in place of
``django.contrib.admin``, so ``admin.site`` (and ``@admin.register``) is this site for every app.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from gongkai.eventlog.admin_mixins import AuditedAdminMixin


def audited(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (AuditedAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
    )


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)
