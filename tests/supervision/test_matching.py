"""Matching a report to an agency of the region and a year."""

from __future__ import annotations

import pytest

from gongkai.supervision.matching import match_report, region_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(city, petition_bureau, other_agency, county_agency):
    return region_agencies(city)


def test_full_name_matches(candidates, petition_bureau):
    match = match_report("示范市信访局", 2023, candidates, this_year=2026)
    assert (match.state, match.agency, match.year) == ("matched", petition_bureau, 2023)


def test_short_name_matches(candidates, other_agency):
    match = match_report("市自然资源局", 2024, candidates, this_year=2026)
    assert (match.state, match.agency) == ("matched", other_agency)


def test_name_read_with_spaces_and_full_width_forms_matches(candidates, petition_bureau):
    assert match_report("示范市 信访局", 2023, candidates, this_year=2026).agency == petition_bureau


def test_name_ending_with_an_agency_name_is_doubtful_not_filed(candidates, county_agency):
    # 「某省示范县信访局」 probably is 示范县信访局 — but only a person may say so
    match = match_report("某省示范县信访局", 2023, candidates, this_year=2026)
    assert match.state == "doubtful"
    assert match.agency == county_agency
    assert "不完全一致" in match.note


def test_ambiguous_suffix_is_doubtful_without_suggestion(candidates):
    # 「信访局」 ends both 示范市信访局 and 示范县信访局 (short names 市信访局 / 县信访局)
    match = match_report("信访局", 2023, candidates, this_year=2026)
    assert match.state in {"doubtful", "unmatched"}
    assert match.agency is None


def test_unknown_name_is_unmatched(candidates):
    match = match_report("邻近市信访局", 2023, candidates, this_year=2026)
    assert (match.state, match.agency) == ("unmatched", None)


def test_other_regions_agencies_are_not_candidates(candidates, far_agency):
    assert far_agency not in candidates


def test_missing_or_future_year_is_doubtful(candidates, petition_bureau):
    for year in (None, 2031):
        match = match_report("示范市信访局", year, candidates, this_year=2026)
        assert (match.state, match.agency, match.year) == ("doubtful", petition_bureau, None)
        assert "年度" in match.note


def test_no_name_is_unmatched(candidates):
    assert match_report(None, 2023, candidates, this_year=2026).state == "unmatched"
