"""django.contrib.admin with the audited site as its default (see admin_site.py).

A module of its own: INSTALLED_APPS imports it before models are ready, so it imports nothing
that touches them; the site class is imported by path later.
"""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "gongkai.eventlog.admin_site.AuditedAdminSite"
