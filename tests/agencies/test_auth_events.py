"""Sign-ins, sign-outs, failures and lockouts are in the event log, with no password in it."""

import pytest
from django.urls import reverse

from gongkai.eventlog.chain import verify_chain
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db

LOGIN = reverse("workspace:login")


def _actions() -> list[str]:
    return list(Event.objects.order_by("seq").values_list("action", flat=True))


def _password(user, password="Correct-Horse-9"):
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def test_login_and_logout_are_logged_with_actor_and_ip(client, reviewer):
    password = _password(reviewer)
    before = Event.objects.count()
    client.post(LOGIN, {"username": "reviewer", "password": password}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("workspace:logout"), REMOTE_ADDR="10.1.2.3")
    events = list(Event.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == ["auth.login", "auth.logout"]
    assert all(e.actor_id == reviewer.pk for e in events)
    assert all(e.ip == "10.1.2.3" for e in events)
    assert all(e.request_id for e in events)


def test_failed_login_names_the_user_name_but_never_the_password(client, reviewer):
    _password(reviewer)
    client.post(LOGIN, {"username": "reviewer", "password": "Secret-Guess-42"})
    event = Event.objects.get(action="auth.login_failed")
    assert event.actor_id is None
    assert event.after == {"username": "reviewer"}
    assert "Secret-Guess-42" not in str(Event.objects.values_list("before", "after"))


def test_lockout_is_logged_once_the_limit_is_reached(client, reviewer, settings):
    _password(reviewer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "reviewer", "password": "wrong"})
    actions = _actions()
    assert actions.count("auth.login_failed") == settings.AXES_FAILURE_LIMIT
    assert actions.count("auth.lockout") == 1
    assert verify_chain().ok
