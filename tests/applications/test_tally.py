"""The running tallies behind table 三 always equal a recount from the cases (property-style:
random histories of intake, answers, 补正 closures and imports, over several seeds)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from gongkai.applications import services, stats, tally
from gongkai.applications.errors import InvalidInputError
from gongkai.applications.importing import import_cases
from gongkai.applications.models import CaseTally

pytestmark = pytest.mark.django_db

OUTCOMES = ("granted", "partially_granted", "denied_state_secret", "unable_not_held")
CLASSES = (
    ("natural_person", "resident_id", "11010519491231002X"),
    ("commercial", "credit_code", "91350100M000100Y43"),
    ("research", "none", ""),
)
HEADER = "收到日期,渠道,申请人类别,申请人,证件号码,联系方式,申请内容,办结日期,办理结果"


def _same(scopes, years):
    assert tally.stored() == tally.recount()
    for scope in scopes:
        for year in years:
            assert stats.table3(scope, year) == stats.table3_recount(scope, year), (scope, year)
            assert stats.check(stats.table3(scope, year)) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tallies_equal_recount(
    seed, make_application, answer, handler, petition_bureau, city, province
):
    rng = random.Random(seed)
    open_cases = []
    for _ in range(8):
        received = date(2025, 1, 2) + timedelta(days=rng.randrange(600))
        cls, id_type, id_number = rng.choice(CLASSES)
        app = make_application(
            event_on=received, applicant_class=cls, id_type=id_type, id_number=id_number
        )
        open_cases.append(app)
    rng.shuffle(open_cases)
    for app in open_cases[:4]:
        answer(app, rng.choice(OUTCOMES), app.received_on + timedelta(days=rng.randrange(1, 40)))
    lines = [HEADER]
    for i in range(rng.randrange(3, 9)):
        received = date(2024, 6, 1) + timedelta(days=rng.randrange(700))
        closed = received + timedelta(days=15) if rng.random() < 0.6 else None
        lines.append(
            f"{received.isoformat()},网络,自然人,申请人{i},,13900000000,请公开第{i}号文件,"
            f"{closed.isoformat() if closed else ''},{'予以公开' if closed else ''}"
        )
    report = import_cases(
        ("\n".join(lines) + "\n").encode(), filename="h.csv", agency=petition_bureau
    )
    assert report.written, report.errors
    _same([petition_bureau, city, province], range(2024, 2028))


def test_failed_verb_counts_nothing(make_application, handler):
    app = make_application(event_on=date(2026, 3, 2))
    before = tally.stored()
    with pytest.raises(InvalidInputError):  # an answer date before receipt is refused
        services.decide(
            app, actor=handler, outcome="granted", decided_on=date(2026, 1, 1), note="x"
        )
    assert tally.stored() == before == tally.recount()


def test_dry_run_and_bad_import_count_nothing(bundled_calendar, petition_bureau):
    raw = (HEADER + "\n2025-02-30,网络,自然人,甲,,1,请公开,,\n").encode()
    assert not import_cases(raw, filename="h.csv", agency=petition_bureau).written
    good = (HEADER + "\n2025-02-03,网络,自然人,甲,,1,请公开,,\n").encode()
    import_cases(good, filename="h.csv", agency=petition_bureau, dry_run=True)
    assert not CaseTally.objects.exists()


def test_rebuild_repairs(make_application, petition_bureau):
    make_application(event_on=date(2026, 3, 2))
    CaseTally.objects.update(count=99)
    assert tally.stored() != tally.recount()
    tally.rebuild([petition_bureau.pk])
    assert tally.stored() == tally.recount()


def test_migration_counts_existing_cases(make_application, answer):
    import importlib  # noqa: PLC0415

    from django.apps import apps  # noqa: PLC0415

    migration = importlib.import_module("gongkai.applications.migrations.0004_case_tally")
    answer(make_application(event_on=date(2025, 12, 22)), "granted", date(2026, 1, 8))
    make_application(event_on=date(2026, 3, 2))
    expected = tally.recount()
    CaseTally.objects.all().delete()
    migration.count_existing(apps, None)
    assert tally.stored() == expected
    assert sum(expected.values()) == 3
