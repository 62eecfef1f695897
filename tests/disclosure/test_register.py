"""Table 二 from items and entered figures, for an agency and for a region subtree."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.disclosure import register, services
from gongkai.disclosure.models import Column, ItemKind
from gongkai.eventlog.models import Event
from gongkai.law.report_format import format_for_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def normative(petition_bureau, make_item, review_all, drafter):
    column = Column.objects.get(agency=petition_bureau, name="行政规范性文件")

    def make(written, validity="valid", changed=None, kind=ItemKind.NORMATIVE, publish=True):
        item = make_item(
            title=f"规范性文件{written}",
            column=column,
            kind=kind,
            written_date=written,
            validity=validity,
            validity_changed_on=changed,
        )
        if publish:
            services.publish_item(review_all(item), actor=drafter)
        return item

    return make


def test_documents_issued_repealed_in_force(petition_bureau, normative):
    normative(date(2024, 3, 1))
    normative(date(2025, 5, 1))
    normative(date(2025, 6, 1), validity="repealed", changed=date(2025, 12, 1))
    normative(date(2023, 1, 1), validity="expired", changed=date(2025, 2, 1))
    normative(date(2025, 7, 1), publish=False)  # never published: not counted
    normative(date(2025, 8, 1), kind=ItemKind.RULE)
    table = register.table2([petition_bureau], 2025)
    assert table["normative_documents"] == {"issued": 2, "repealed": 2, "in_force": 2}
    assert table["regulations"] == {"issued": 1, "repealed": 0, "in_force": 1}
    earlier = register.table2([petition_bureau], 2024)
    assert earlier["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 2}


def test_table2_has_the_report_json_keys(petition_bureau):
    table = register.table2([petition_bureau], 2025)
    expected = format_for_year(2025).empty_tables()["table2"]
    assert {k: set(v) for k, v in table.items()} == {k: set(v) for k, v in expected.items()}
    # nothing entered: blank, never zero
    assert table["licensing"] == {"decisions": None}
    assert table["fees"] == {"amount_wan_yuan": None}


def test_entered_figures_and_region_subtree(
    petition_bureau, county_agency, far_agency, city, agency_admin
):
    register.set_register_year(
        petition_bureau,
        actor=agency_admin,
        year=2025,
        licensing_decisions=3,
        fees_wan_yuan="1.2345",
    )
    register.set_register_year(
        county_agency, actor=None, year=2025, licensing_decisions=2, penalty_decisions=0
    )
    register.set_register_year(far_agency, actor=None, year=2025, licensing_decisions=100)
    table = register.table2(register.region_agencies(city), 2025)
    assert table["licensing"] == {"decisions": 5}
    assert table["penalty"] == {"decisions": 0}
    assert table["coercion"] == {"decisions": None}
    assert table["fees"] == {"amount_wan_yuan": 1.2345}
    event = Event.objects.filter(action="disclosure.register_updated").first()
    assert event.after["fees_wan_yuan"] == "1.2345"


@pytest.mark.parametrize("bad", ["1.23456", "-1", "abc", "NaN"])
def test_fee_amount_validation(petition_bureau, agency_admin, bad):
    with pytest.raises(register.RegisterError):
        register.set_register_year(
            petition_bureau, actor=agency_admin, year=2025, fees_wan_yuan=bad
        )


def test_csv_import_is_all_or_nothing(petition_bureau, agency_admin, reviewer):
    good = "年度,行政许可,行政处罚,行政强制,收费金额\n2024,1,2,3,0.5\n2025,4,,6,\n"
    assert register.import_csv(petition_bureau, actor=agency_admin, text=good) == 2
    table = register.table2([petition_bureau], 2025)
    assert table["penalty"] == {"decisions": None}
    assert table["coercion"] == {"decisions": 6}
    bad = "year,licensing_decisions\n2026,7\n2027,x\n"
    with pytest.raises(register.RegisterError, match="第 3 行"):
        register.import_csv(petition_bureau, actor=agency_admin, text=bad)
    assert register.table2([petition_bureau], 2026)["licensing"] == {"decisions": None}
    with pytest.raises(services.NotPermittedError):
        register.import_csv(petition_bureau, actor=reviewer, text=good)
