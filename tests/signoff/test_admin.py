"""Admin: templates are editable (and logged); chains and decisions are view-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.eventlog.services import events_for
from gongkai.signoff.models import ChainTemplate

pytestmark = pytest.mark.django_db


def test_sysadmin_creates_template_with_steps(client, sysadmin, petition_bureau):
    client.force_login(sysadmin)
    prefix = "steps"
    response = client.post(
        reverse("admin:signoff_chaintemplate_add"),
        {
            "agency": petition_bureau.pk,
            "purpose": "disclosure_item",
            "name": "信访局两级审核",
            "is_active": "on",
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "1",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-order": "1",
            f"{prefix}-0-name": "科室审核",
            f"{prefix}-0-role": "reviewer",
            f"{prefix}-0-forbid_self_approval": "on",
            f"{prefix}-1-order": "2",
            f"{prefix}-1-name": "领导签发",
            f"{prefix}-1-role": "signer",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ChainTemplate.objects.get(name="信访局两级审核")
    assert [s["role"] for s in template.snapshot()] == ["reviewer", "signer"]
    logged = events_for(template).order_by("seq")
    # One event per admin change, the inline steps inside it.
    assert [e.action for e in logged] == ["admin.create"]
    assert len(logged.last().after["steps"]) == 2


def test_chain_admin_is_view_only(client, sysadmin, chain):
    client.force_login(sysadmin)
    assert client.get(reverse("admin:signoff_chain_changelist")).status_code == 200
    page = client.get(reverse("admin:signoff_chain_change", args=[chain.pk]))
    assert page.status_code == 200
    assert "_save" not in page.content.decode()
    assert client.get(reverse("admin:signoff_chain_add")).status_code == 403
    assert client.get(reverse("admin:signoff_stepdecision_add")).status_code == 403
