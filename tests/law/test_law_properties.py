"""Properties of working-day arithmetic, the clock and the fee bands (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law.clock import answer_deadline
from gongkai.law.fees import fee_by_items, fee_by_pages
from gongkai.law.workdays import Calendar, default_calendar

CAL = default_calendar()
FAST = settings(max_examples=80, deadline=None)

# Starts across the loaded years and into the unloaded 2027.
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 6, 30))
counts = st.integers(min_value=0, max_value=60)


@FAST
@given(starts, counts)
def test_monotonic_in_n(start, n):
    assert CAL.add_working_days(start, n + 1)[0] > CAL.add_working_days(start, n)[0]


@FAST
@given(starts, st.integers(min_value=0, max_value=30), counts)
def test_monotonic_in_start(start, shift, n):
    later = start + timedelta(days=shift)
    assert CAL.add_working_days(later, n)[0] >= CAL.add_working_days(start, n)[0]


@FAST
@given(starts, st.integers(min_value=1, max_value=60))
def test_never_lands_on_a_rest_day(start, n):
    day, _ = CAL.add_working_days(start, n)
    assert day not in CAL.holidays
    if CAL.covers(day.year) and day.weekday() >= 5:
        assert day in CAL.workdays
    if not CAL.covers(day.year):
        assert day.weekday() < 5


@FAST
@given(starts, counts)
def test_exactly_n_working_days_in_between(start, n):
    day, _ = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, day) == n


@FAST
@given(starts, counts)
def test_provisional_exactly_when_an_unloaded_year_is_touched(start, n):
    day, provisional = CAL.add_working_days(start, n)
    touched = {(start + timedelta(days=i)).year for i in range(1, (day - start).days + 1)}
    assert provisional == any(not CAL.covers(y) for y in touched)


@st.composite
def pauses(draw):
    first = draw(st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 12, 31)))
    length = draw(st.integers(min_value=0, max_value=25))
    return (first, first + timedelta(days=length))


@FAST
@given(
    st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 11, 30)),
    st.lists(pauses(), max_size=3),
    st.integers(min_value=0, max_value=20),
)
def test_clock_counts_every_working_day_once(received, pause_list, extension):
    d = answer_deadline(received, pauses=pause_list, extension_days=extension)
    plain = answer_deadline(received)
    assert d.due >= plain.due
    # every working day in (start, due] is either counted or paused
    assert CAL.working_days_between(d.clock_start, d.due) == 20 + extension + d.paused_days
    assert CAL.is_working_day(d.due)


@FAST
@given(st.integers(0, 120), st.integers(0, 120))
def test_monthly_items_are_cumulative(first, second):
    # two applications in one month cost what one application of both would cost
    split = fee_by_items(first).amount_yuan + fee_by_items(second, first).amount_yuan
    assert split == fee_by_items(first + second).amount_yuan


@FAST
@given(st.integers(0, 500))
def test_fees_grow_with_quantity(n):
    assert fee_by_items(n + 1).amount_yuan >= fee_by_items(n).amount_yuan
    assert fee_by_pages(n + 1).amount_yuan >= fee_by_pages(n).amount_yuan
    pages = fee_by_pages(n)
    assert sum(b.count for b in pages.bands) == n
    assert pages.amount_yuan == sum(b.subtotal for b in pages.bands)


@FAST
@given(
    st.sets(st.dates(min_value=date(2030, 1, 1), max_value=date(2030, 12, 31)), max_size=30),
    st.dates(min_value=date(2030, 1, 1), max_value=date(2030, 11, 30)),
    st.integers(0, 40),
)
def test_injected_calendar_holidays_are_never_due_dates(holidays, start, n):
    cal = Calendar.from_dates(holidays=holidays, years=[2030])
    day, provisional = cal.add_working_days(start, n)
    if n:
        assert day not in holidays
        assert day.weekday() < 5
    assert cal.working_days_between(start, day) == n
    assert provisional == (day.year != 2030)
