"""`gongkai demo` loads 「演示数据」 idempotently; `gongkai serve` builds the gunicorn command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from gongkai.agencies.models import Agency, Membership, User
from gongkai.disclosure.models import Item
from gongkai.eventlog.models import Event
from gongkai.signoff.models import Chain, ChainTemplate, Purpose, StepDecision
from gongkai.signoff.selectors import steps_awaiting
from gongkai.workspace.demo_data import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    PETITION_BUREAU,
    load_demo_data,
)

pytestmark = pytest.mark.django_db

MODELS = (Agency, User, Membership, ChainTemplate, Item, Chain, StepDecision, Event)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_command_loads_once_and_its_data_is_usable():
    """One load for all these checks: the demo loader is among the slowest steps of the suite."""
    out = StringIO()
    with override_settings(GONGKAI_DEMO=True):
        call_command("demo", "--no-serve", stdout=out)
        before = counts()
        call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "已载入演示数据" in text
    assert "演示数据已存在，未作改动" in text
    assert DEMO_PASSWORD in text
    assert "YANSH-2026A-BCDEF-GHJK7" in text  # the demo online application's tracking code
    # Idempotent: the second run adds nothing, and the loader itself says so.
    assert counts() == before
    assert before["Item"] > 0
    assert load_demo_data().total == 0

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account["username"])
        assert user.check_password(DEMO_PASSWORD), account["username"]
        assert user.display_name == account["name"]
    assert User.objects.get(username="sysadmin").is_superuser

    bureau = Agency.objects.get(name=PETITION_BUREAU)
    reviewer = User.objects.get(username="reviewer")
    assert steps_awaiting(reviewer, bureau).filter(chain__purpose="disclosure_item").exists()
    statuses = set(Chain.objects.filter(agency=bureau).values_list("status", flat=True))
    assert {"approved", "in_review", "returned"} <= statuses
    # Every chain reviews one of the product's reviewables (the generic 待审稿件 is gone).
    assert set(Chain.objects.values_list("purpose", flat=True)) <= set(Purpose.values)
    assert not ChainTemplate.objects.exclude(purpose__in=Purpose.values).exists()


def test_demo_command_refuses_outside_demo_mode():
    with override_settings(GONGKAI_DEMO=False), pytest.raises(CommandError, match="GONGKAI_DEMO"):
        call_command("demo", "--no-serve")
    assert not Item.objects.exists()


def test_demo_command_rejects_bad_port():
    with override_settings(GONGKAI_DEMO=True), pytest.raises(CommandError, match="端口"):
        call_command("demo", "--no-serve", "--port", "70000")


def test_serve_dry_run_prints_gunicorn_command():
    out = StringIO()
    call_command(
        "serve",
        "--dry-run",
        "--no-collectstatic",
        "--bind",
        "0.0.0.0:9000",
        "--workers",
        "2",
        stdout=out,
    )
    argv = out.getvalue().split()
    assert argv[0].endswith("gunicorn")
    assert argv[1:] == [
        "gongkai.wsgi:application",
        "--bind",
        "0.0.0.0:9000",
        "--workers",
        "2",
        "--access-logfile",
        "-",
    ]


def test_serve_rejects_zero_workers():
    with pytest.raises(CommandError, match="workers"):
        call_command("serve", "--dry-run", "--no-collectstatic", "--workers", "0")
