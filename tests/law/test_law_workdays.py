"""Working-day arithmetic. Every expected date was counted by hand on the 2026 schedule of
LAW.md §2.1 (国务院办公厅 notice of 2025-11-04) and a printed month calendar."""

from datetime import date, datetime

import pytest

from gongkai.law.workdays import Calendar, default_calendar, fmt_day

D = date
CAL = default_calendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # 元旦 (Thu)
        (D(2026, 1, 3), False),  # 元旦 (Sat)
        (D(2026, 1, 4), True),  # Sunday, 调休上班
        (D(2026, 2, 13), True),  # ordinary Friday
        (D(2026, 2, 14), True),  # Saturday, 调休上班 before 春节
        (D(2026, 2, 15), False),  # 春节 (Sun)
        (D(2026, 2, 16), False),  # 春节 (Mon)
        (D(2026, 2, 23), False),  # 春节, last day (Mon)
        (D(2026, 2, 24), True),  # first working day after 春节
        (D(2026, 2, 28), True),  # Saturday, 调休上班 after 春节
        (D(2026, 3, 7), False),  # ordinary Saturday
        (D(2026, 3, 8), False),  # ordinary Sunday
        (D(2026, 4, 6), False),  # 清明 (Mon)
        (D(2026, 5, 5), False),  # 劳动节 (Tue)
        (D(2026, 5, 9), True),  # Saturday, 调休上班
        (D(2026, 6, 19), False),  # 端午 (Fri)
        (D(2026, 9, 20), True),  # Sunday, 调休上班
        (D(2026, 9, 25), False),  # 中秋 (Fri)
        (D(2026, 10, 1), False),  # 国庆
        (D(2026, 10, 7), False),  # 国庆, last day (Wed)
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, 调休上班
        (D(2026, 10, 11), False),  # ordinary Sunday
    ],
)
def test_2026_schedule(day, working):
    assert CAL.is_working_day(day) is working


def test_default_calendar_covers_2004_to_2026_only():
    assert CAL.covers(2004)
    assert CAL.covers(2026)
    assert not CAL.covers(2003)
    assert not CAL.covers(2027)
    assert CAL.years == frozenset(range(2004, 2027))


def test_default_calendar_is_cached_and_named_in_chinese():
    assert default_calendar() is CAL
    assert CAL.holidays[D(2026, 10, 1)] == "国庆节"
    assert CAL.holidays[D(2026, 2, 16)] == "春节"


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 2, 12), 1, D(2026, 2, 13)),
        (D(2026, 2, 12), 2, D(2026, 2, 14)),  # the 调休 Saturday counts
        (D(2026, 2, 12), 3, D(2026, 2, 24)),  # 2/15–2/23 skipped
        (D(2026, 2, 10), 20, D(2026, 3, 16)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Fri → the 调休 Sunday
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # 中秋 Fri–Sun skipped
        (D(2026, 9, 28), 20, D(2026, 10, 30)),
        (D(2026, 4, 28), 5, D(2026, 5, 8)),  # 劳动节 5/1–5/5 skipped
        (D(2026, 4, 28), 6, D(2026, 5, 9)),  # …and the 调休 Saturday counts
        (D(2026, 12, 1), 20, D(2026, 12, 29)),
        (D(2026, 12, 3), 20, D(2026, 12, 31)),
        (D(2026, 3, 2), 0, D(2026, 3, 2)),
    ],
)
def test_add_working_days_known_year(start, n, expected):
    assert CAL.add_working_days(start, n) == (expected, False)


def test_start_day_is_not_counted_even_when_it_is_a_working_day():
    # 民法典第二百零一条: Monday + 1 working day is Tuesday, never Monday itself.
    assert CAL.add_working_days(D(2026, 3, 2), 1) == (D(2026, 3, 3), False)


def test_deadline_in_unloaded_year_is_provisional_on_weekends_only():
    # 12/11 (1), 12/14–18 (6), 12/21–25 (11), 12/28–31 (15), then 2027 on weekends only:
    # 1/1 Fri (16), 1/4–1/7 (20).
    assert CAL.add_working_days(D(2026, 12, 10), 20) == (D(2027, 1, 7), True)
    # 12/7–11 (5) … 12/28–31 (19): the 20th day is 2027-01-01, a Friday on weekends only.
    assert CAL.add_working_days(D(2026, 12, 4), 20) == (D(2027, 1, 1), True)


def test_provisional_depends_on_the_span_not_the_start_year():
    cal = Calendar.from_dates(holidays={D(2030, 1, 1): "元旦"}, years=[2030])
    # 2029 is not covered, but (2029-12-31, 2030-01-02] lies wholly in 2030.
    assert cal.add_working_days(D(2029, 12, 31), 1) == (D(2030, 1, 2), False)
    assert cal.add_working_days(D(2029, 12, 27), 2) == (D(2029, 12, 31), True)


def test_negative_n_is_refused():
    with pytest.raises(ValueError, match="负数"):
        CAL.add_working_days(D(2026, 3, 2), -1)


def test_working_days_between():
    assert CAL.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2  # 10/8, 10/9
    # 2/14 (调休), 2/24, 2/25, 2/26, 2/27, 2/28 (调休)
    assert CAL.working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6
    assert CAL.working_days_between(D(2026, 2, 28), D(2026, 2, 13)) == -6
    assert CAL.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_describe_span_names_holidays_and_make_up_days():
    lines = CAL.describe_span(D(2026, 9, 28), D(2026, 10, 30))
    assert lines == ["跳过 2026-10-01至2026-10-07 国庆节假期", "2026-10-10（星期六）为调休工作日"]
    lines = CAL.describe_span(D(2026, 12, 10), D(2027, 1, 7))
    assert lines == ["2027年节假日安排尚未载入，按仅周末休息推算，结果为暂定"]


def test_describe_span_clips_a_holiday_to_the_span():
    lines = CAL.describe_span(D(2026, 10, 4), D(2026, 10, 9))
    assert lines == ["跳过 2026-10-05至2026-10-07 国庆节假期"]


def test_fmt_day():
    assert fmt_day(D(2026, 10, 10)) == "2026-10-10（星期六）"


class TestCalendarValue:
    def test_from_plain_dates_infers_years_from_holidays(self):
        cal = Calendar.from_dates(holidays=[D(2030, 10, 1)], workdays=[D(2030, 10, 12)])
        assert cal.covers(2030)
        assert not cal.covers(2031)
        assert not cal.is_working_day(D(2030, 10, 1))
        assert cal.is_working_day(D(2030, 10, 12))  # a Saturday made a working day

    def test_explicit_years_cover_a_year_with_nothing_special(self):
        cal = Calendar.from_dates(years=[2031])
        assert cal.covers(2031)
        assert cal.add_working_days(D(2031, 3, 7), 1) == (D(2031, 3, 10), False)

    def test_weekends_only_calendar_is_always_provisional(self):
        cal = Calendar.weekends_only()
        assert cal.add_working_days(D(2026, 10, 1), 1) == (D(2026, 10, 2), True)

    def test_a_day_cannot_be_both_holiday_and_workday(self):
        with pytest.raises(ValueError, match="同时"):
            Calendar.from_dates(holidays=[D(2030, 1, 1)], workdays=[D(2030, 1, 1)])

    def test_immutable_and_independent_of_the_source_dict(self):
        source = {D(2030, 1, 1): "元旦"}
        cal = Calendar.from_dates(holidays=source)
        source[D(2030, 1, 2)] = "元旦"
        assert cal.is_working_day(D(2030, 1, 2))
        with pytest.raises(TypeError):
            cal.holidays[D(2030, 1, 3)] = "x"  # type: ignore[index]
        with pytest.raises(AttributeError):
            cal.years = frozenset()  # type: ignore[misc]

    def test_equal_values_are_equal_and_hash_alike(self):
        a = Calendar.from_dates(holidays={D(2030, 1, 1): "元旦"})
        b = Calendar.from_dates(holidays={D(2030, 1, 1): "元旦"})
        assert a == b
        assert hash(a) == hash(b)

    def test_datetime_keys_are_refused(self):
        with pytest.raises(TypeError):
            Calendar.from_dates(holidays=[datetime(2030, 1, 1, 8, 0)])


def test_overlay_loads_a_new_year_on_top_of_the_bundled_calendar():
    # a hypothetical 2027 schedule: 元旦 1/1–1/3, Saturday 1/9 a make-up working day
    extra = Calendar.from_dates(
        holidays={D(2027, 1, 1): "元旦", D(2027, 1, 2): "元旦", D(2027, 1, 3): "元旦"},
        workdays={D(2027, 1, 9): "元旦"},
        years=[2027],
    )
    cal = CAL.overlay(extra)
    assert cal.covers(2026)
    assert cal.covers(2027)
    assert not CAL.covers(2027)  # the original value is unchanged
    # from 2026-12-04: 12/7–11 (5) 12/14–18 (10) 12/21–25 (15) 12/28–31 (19) | 1/1–1/3 | 1/4 (20)
    assert cal.add_working_days(D(2026, 12, 4), 20) == (D(2027, 1, 4), False)
    assert cal.is_working_day(D(2027, 1, 9))
    assert cal.is_working_day(D(2026, 10, 10))
