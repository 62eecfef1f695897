"""Every admin model and action writes an event: the walk over ``admin.site._registry``.

A model registered later without a factory here fails ``test_every_writable_admin_has_a_factory``,
so nobody can add an admin page whose changes escape the log. The stock views of issue 8 (password
reset, group and permission changes, unlocking by deleting an axes attempt) are tested by name.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import RegionLevel
from gongkai.agencies.services import (
    create_agency,
    create_region,
    create_section,
    create_user,
    grant_role,
    grant_supervision,
)
from gongkai.eventlog.admin_mixins import AuditedAdminMixin
from gongkai.eventlog.models import Event
from gongkai.eventlog.services import events_for
from gongkai.signoff.models import ChainTemplate, EditorGrant, StepTemplate
from gongkai.workdays.services import bundled_schedule, import_year

pytestmark = pytest.mark.django_db

_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def _region():
    n = _n()
    return create_region(name=f"测试区{n}", level=RegionLevel.COUNTY, division_code=f"{n:06d}")


def _agency():
    return create_agency(region=_region(), name=f"测试局{_n()}", short_name="")


def _user():
    return create_user(username=f"walk{_n()}", password="x-pass-123456")


def _access(model, **extra):
    return model.objects.create(
        user_agent="pytest",
        ip_address="10.0.0.1",
        username=f"locked{_n()}",
        http_accept="*/*",
        path_info="/login/",
        **extra,
    )


def _template():
    template = ChainTemplate.objects.create(purpose="disclosure_item", name=f"流程{_n()}")
    StepTemplate.objects.create(template=template, order=1, name="科室审核", role="reviewer")
    return template


def _calendar_year():
    return import_year(bundled_schedule(2025), replace=True)


FACTORIES = {
    "auth.Group": lambda: Group.objects.create(name=f"组{_n()}"),
    "axes.AccessAttempt": lambda: _access(
        AccessAttempt, get_data="", post_data="", failures_since_start=5
    ),
    "axes.AccessLog": lambda: _access(AccessLog),
    "axes.AccessFailureLog": lambda: _access(AccessFailureLog),
    "agencies.Region": _region,
    "agencies.Agency": _agency,
    "agencies.Section": lambda: create_section(agency=_agency(), name="办公室"),
    "agencies.Membership": lambda: grant_role(user=_user(), agency=_agency(), role="drafter"),
    "agencies.SupervisorGrant": lambda: grant_supervision(user=_user(), region=_region()),
    "agencies.User": _user,
    "workdays.CalendarYear": _calendar_year,
    "signoff.ChainTemplate": _template,
    "signoff.EditorGrant": lambda: EditorGrant.objects.create(agency=_agency(), user=_user()),
}


def _expire_attempt(attempt):
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(days=2)
    )


# Actions that only act on some rows: make the fresh row one they act on.
ACTION_SETUP = {("axes.AccessAttempt", "cleanup_expired_attempts"): _expire_attempt}

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in REGISTRY]


@pytest.fixture
def su_request(sysadmin):
    request = RequestFactory().get("/admin/")
    request.user = sysadmin
    return request


def _writes(model_admin, request) -> list[str]:
    can = []
    if model_admin.has_add_permission(request):
        can.append("add")
    if model_admin.has_change_permission(request):
        can.append("change")
    if model_admin.has_delete_permission(request):
        can.append("delete")
    can += [f"action:{name}" for name in model_admin.get_actions(request)]
    return can


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=IDS)
def test_every_admin_is_audited(model, model_admin):
    assert isinstance(model_admin, AuditedAdminMixin)


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=IDS)
def test_every_writable_admin_has_a_factory(su_request, model, model_admin):
    if _writes(model_admin, su_request):
        assert model._meta.label in FACTORIES, f"add a factory for {model._meta.label} here"


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_data(html: str) -> dict[str, list[str]]:
    """What a browser would submit from the admin change form, unchanged."""
    form = BeautifulSoup(html, "html.parser").find("form", id=lambda v: v and v.endswith("_form"))
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "select":
            values = [
                o.get("value", "") for o in field.find_all("option") if o.has_attr("selected")
            ]
        elif field.name == "textarea":
            values = [field.text.lstrip("\n")]
        elif field.get("type") in ("checkbox", "radio"):
            values = [field.get("value", "on")] if field.has_attr("checked") else []
        else:
            values = [field.get("value", "")]
        data.setdefault(name, []).extend(values)
    data["_save"] = ["保存"]
    return data


def _new_events(since: int):
    return list(Event.objects.filter(seq__gt=since).order_by("seq"))


def _last_seq() -> int:
    last = Event.objects.order_by("-seq").first()
    return last.seq if last else 0


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=IDS)
def test_change_form_writes_an_event(client, sysadmin, su_request, model, model_admin):
    if not model_admin.has_change_permission(su_request):
        return  # view-only admin: nothing to submit
    obj = FACTORIES[model._meta.label]()
    client.force_login(sysadmin)
    url = _url(model, "change", obj.pk)
    page = client.get(url)
    assert page.status_code == 200
    since = _last_seq()
    response = client.post(url, _form_data(page.content.decode()))
    assert response.status_code == 302, response.content.decode()[:3000]
    events = [e for e in _new_events(since) if e.object_id == str(obj.pk)]
    assert [e.action for e in events] == ["admin.update"]


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=IDS)
def test_delete_page_writes_an_event(client, sysadmin, su_request, model, model_admin):
    if not model_admin.has_delete_permission(su_request):
        return
    obj = FACTORIES[model._meta.label]()
    client.force_login(sysadmin)
    since = _last_seq()
    response = client.post(_url(model, "delete", obj.pk), {"post": "yes"})
    assert response.status_code in (200, 302)
    if model._default_manager.filter(pk=obj.pk).exists():
        # Refused (protected rows): then nothing changed and nothing needs logging.
        assert response.status_code == 200
        return
    events = [e for e in _new_events(since) if e.object_id == str(obj.pk)]
    assert [e.action for e in events] == ["admin.delete"]


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=IDS)
def test_every_action_writes_an_event(client, sysadmin, su_request, model, model_admin):
    actions = list(model_admin.get_actions(su_request))
    client.force_login(sysadmin)
    for action in actions:
        obj = FACTORIES[model._meta.label]()
        ACTION_SETUP.get((model._meta.label, action), lambda obj: None)(obj)
        since = _last_seq()
        response = client.post(
            _url(model, "changelist"),
            {"action": action, "_selected_action": [obj.pk], "post": "yes", "index": 0},
        )
        assert response.status_code in (200, 302), action
        if action == "delete_selected" and model._default_manager.filter(pk=obj.pk).exists():
            continue  # refused as protected: nothing changed
        assert _new_events(since), f"{model._meta.label}: action {action} wrote no event"


# --- the stock views the probe named ----------------------------------------------------------


def test_password_reset_by_admin_is_an_event(client, sysadmin, drafter):
    client.force_login(sysadmin)
    old_hash = drafter.password
    response = client.post(
        reverse("admin:auth_user_password_change", args=[drafter.pk]),
        {"password1": "N3w-passw0rd-xyz", "password2": "N3w-passw0rd-xyz"},
    )
    assert response.status_code == 302
    drafter.refresh_from_db()
    assert drafter.password != old_hash
    event = events_for(drafter).filter(action="admin.update").get()
    assert event.actor_id == sysadmin.pk
    assert "password" in event.after["_changed"]
    assert drafter.password not in str(event.after)
    assert old_hash not in str(event.before)


def test_group_create_change_delete_are_events(client, sysadmin):
    client.force_login(sysadmin)
    perm = Permission.objects.get(codename="change_user")
    client.post(reverse("admin:auth_group_add"), {"name": "审核员组", "permissions": [perm.pk]})
    group = Group.objects.get(name="审核员组")
    created = events_for(group).get(action="admin.create")
    assert created.after["permissions"] == [perm.pk]
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "审核员组"})
    changed = events_for(group).get(action="admin.update")
    assert changed.before["permissions"] == [perm.pk]
    assert changed.after["permissions"] == []
    assert "permissions" in changed.after["_changed"]
    client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert not Group.objects.filter(pk=group.pk).exists()
    assert Event.objects.filter(action="admin.delete", object_repr="审核员组").exists()


def test_user_permissions_and_groups_change_is_an_event(client, sysadmin, drafter):
    group = Group.objects.create(name="管理组")
    client.force_login(sysadmin)
    url = reverse("admin:agencies_user_change", args=[drafter.pk])
    data = _form_data(client.get(url).content.decode())
    data["groups"] = [str(group.pk)]
    data["is_staff"] = ["on"]
    assert client.post(url, data).status_code == 302
    event = events_for(drafter).get(action="admin.update")
    assert event.after["groups"] == [group.pk]
    assert {"groups", "is_staff"} <= set(event.after["_changed"])


def test_unlock_by_deleting_axes_attempt_is_an_event(client, sysadmin):
    attempt = FACTORIES["axes.AccessAttempt"]()
    client.force_login(sysadmin)
    client.post(_url(AccessAttempt, "delete", attempt.pk), {"post": "yes"})
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    event = Event.objects.get(action="admin.delete", object_id=str(attempt.pk))
    assert event.before["username"] == attempt.username
    assert event.actor_id == sysadmin.pk


def test_bulk_unlock_is_one_event_per_attempt(client, sysadmin):
    attempts = [FACTORIES["axes.AccessAttempt"]() for _ in range(3)]
    client.force_login(sysadmin)
    client.post(
        _url(AccessAttempt, "changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert Event.objects.filter(action="admin.delete").count() == 3


def test_admin_text_fields_refuse_control_characters(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:auth_group_add"), {"name": "响铃\x07组", "permissions": []}
    )
    assert response.status_code == 200
    assert not Group.objects.filter(name__startswith="响铃").exists()
