"""Table 四 worked by hand: which case counts where, for an agency and a region subtree."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.appeals import services, stats
from gongkai.law.report_format import FORMAT_2021

pytestmark = pytest.mark.django_db


def _decide(case: Any, actor: Any, outcome: str, on: date) -> Any:
    return services.record_decision(case, actor=actor, outcome=outcome, decided_on=on)


@pytest.fixture
def year_of_cases(make_appeal: Any, make_application: Any, handler: Any) -> dict[str, Any]:
    app = make_application(event_on=date(2024, 3, 4))
    cases = {
        # filed 2024, decided 2025 upheld: pending in 2024, upheld in 2025
        "carried": make_appeal(app, filed_on=date(2024, 11, 4)),
        # filed and decided 2025
        "upheld": make_appeal(app, filed_on=date(2025, 2, 3)),
        "corrected": make_appeal(app, kind="litigation_direct", filed_on=date(2025, 3, 3)),
        "other": make_appeal(app, kind="litigation_direct", filed_on=date(2025, 4, 1)),
        # filed 2025, decided 2026: pending in 2025
        "forward": make_appeal(
            app, kind="litigation_after_reconsideration", filed_on=date(2025, 9, 1)
        ),
        # filed 2025 never decided
        "open": make_appeal(app, filed_on=date(2025, 12, 31)),
        # decided in 2024: not in 2025
        "old": make_appeal(app, filed_on=date(2024, 4, 1)),
        # filed 2026: not in 2025
        "late": make_appeal(app, filed_on=date(2026, 1, 5)),
    }
    _decide(cases["carried"], handler, "upheld", date(2025, 1, 20))
    _decide(cases["upheld"], handler, "upheld", date(2025, 5, 6))
    _decide(cases["corrected"], handler, "corrected", date(2025, 12, 31))
    _decide(cases["other"], handler, "other", date(2025, 6, 1))
    _decide(cases["forward"], handler, "upheld", date(2026, 1, 1))
    _decide(cases["old"], handler, "other", date(2024, 12, 31))
    return cases


def test_table4_by_hand(year_of_cases: Any, petition_bureau: Any) -> None:
    table = stats.table4(petition_bureau, 2025)
    assert list(table) == list(FORMAT_2021.table4_block_keys)
    assert table["reconsideration"] == {
        "upheld": 2,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 3,
    }
    assert table["litigation_direct"] == {
        "upheld": 0,
        "corrected": 1,
        "other": 1,
        "pending": 0,
        "total": 2,
    }
    assert table["litigation_after_reconsideration"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }
    table_2024 = stats.table4(petition_bureau, 2024)
    assert table_2024["reconsideration"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 1,
        "pending": 1,
        "total": 2,
    }
    assert stats.table4(petition_bureau, 2026)["litigation_after_reconsideration"]["upheld"] == 1


def test_table4_passes_rule_t4(year_of_cases: Any, petition_bureau: Any) -> None:
    from gongkai.law import consistency  # noqa: PLC0415

    assert consistency.check_t4(FORMAT_2021, stats.table4(petition_bureau, 2025)) == []


def test_table4_cases_drill_down(year_of_cases: Any, petition_bureau: Any) -> None:
    cases = year_of_cases
    pending = stats.table4_cases(petition_bureau, 2025, "reconsideration", "pending")
    assert list(pending) == [cases["open"]]
    upheld = stats.table4_cases(petition_bureau, 2025, "reconsideration", "upheld")
    assert list(upheld) == [cases["carried"], cases["upheld"]]
    total = stats.table4_cases(petition_bureau, 2025, "litigation_direct", "total")
    assert set(total) == {cases["corrected"], cases["other"]}
    with pytest.raises(KeyError):
        stats.table4_cases(petition_bureau, 2025, "petition", "total")
    with pytest.raises(KeyError):
        stats.table4_cases(petition_bureau, 2025, "reconsideration", "bogus")


def test_every_cell_equals_its_drill_down(year_of_cases: Any, petition_bureau: Any) -> None:
    table = stats.table4(petition_bureau, 2025)
    for block, cells in table.items():
        for column, value in cells.items():
            assert stats.table4_cases(petition_bureau, 2025, block, column).count() == value


def test_region_subtree_and_other_agencies(
    make_appeal: Any,
    make_application: Any,
    make_member: Any,
    county_agency: Any,
    far_agency: Any,
    city: Any,
    county: Any,
    petition_bureau: Any,
) -> None:
    make_appeal(filed_on=date(2025, 5, 6))
    county_clerk = make_member("county", county_agency, "handler")
    far_clerk = make_member("far", far_agency, "handler")
    for agency, clerk in ((county_agency, county_clerk), (far_agency, far_clerk)):
        app = make_application(actor=clerk, agency=agency)
        make_appeal(app, actor=clerk, filed_on=date(2025, 6, 2))
    assert stats.table4(city, 2025)["reconsideration"]["total"] == 2  # city + its county
    assert stats.table4(county, 2025)["reconsideration"]["total"] == 1
    assert stats.table4(petition_bureau, 2025)["reconsideration"]["total"] == 1


def test_empty_year_is_zero_not_blank(petition_bureau: Any) -> None:
    table = stats.table4(petition_bureau, 2025)
    assert all(v == 0 for cells in table.values() for v in cells.values())


def test_table4_is_one_query(
    year_of_cases: Any, petition_bureau: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        stats.table4(petition_bureau, 2025)
