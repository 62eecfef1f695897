"""The admin lists supervision rows read-only: changes go through the verbs and their events."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["batch", "reportfile", "reportversion", "finding", "notice"])
def test_admin_lists_open_and_refuse_changes(admin_client, audited, model):
    version = audited()
    assert admin_client.get(reverse(f"admin:supervision_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:supervision_{model}_add")).status_code == 403
    if model == "reportversion":
        url = reverse("admin:supervision_reportversion_delete", args=[version.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
