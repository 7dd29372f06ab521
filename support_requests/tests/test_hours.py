"""The support-time arithmetic (support_requests.hours): pure, no database."""

import datetime
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from support_requests.hours import Window, add_working_hours, working_hours_between

TORONTO = "America/Toronto"
ZONE = zoneinfo.ZoneInfo(TORONTO)
NINE_TO_FIVE = tuple(Window(day, datetime.time(9), datetime.time(17)) for day in range(5))  # Monday to Friday


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=ZONE)


def add(start, hours, *, windows=NINE_TO_FIVE, holidays=()):
    return add_working_hours(start, hours, windows=windows, holidays=frozenset(holidays), zone=TORONTO)


def test_time_inside_the_hours_counts_as_it_passes():
    assert add(local(2026, 12, 2, 10), 3) == local(2026, 12, 2, 13)  # a Wednesday


def test_what_is_left_at_closing_carries_to_the_next_opening():
    assert add(local(2026, 12, 2, 15), 4) == local(2026, 12, 3, 11)


def test_friday_evening_waits_for_monday_morning():
    friday_evening = local(2026, 12, 4, 19)
    assert add(friday_evening, 4) == local(2026, 12, 7, 13)
    assert add(friday_evening, 0) == local(2026, 12, 7, 9)  # zero hours: the next opening


def test_a_holiday_counts_nothing():
    christmas_eve = local(2026, 12, 24, 16)  # a Thursday; Friday 25 is a holiday
    assert add(christmas_eve, 2, holidays={datetime.date(2026, 12, 25)}) == local(2026, 12, 28, 10)
    assert add(christmas_eve, 2) == local(2026, 12, 25, 10)


def test_the_day_the_clocks_go_back_still_has_eight_hours_of_support():
    # Sunday 1 November 2026 Toronto falls back; a program open every day.
    every_day = tuple(Window(day, datetime.time(9), datetime.time(17)) for day in range(7))
    saturday_four = local(2026, 10, 31, 16)
    due = add(saturday_four, 9, windows=every_day)
    assert due == local(2026, 11, 1, 17)  # 1 hour Saturday, 8 on Sunday, in EST now
    assert due.utcoffset() == datetime.timedelta(0)  # returned in UTC
    assert due == datetime.datetime(2026, 11, 1, 22, tzinfo=datetime.UTC)


def test_a_weekend_that_springs_forward_still_ends_at_monday_nine_local():
    # Sunday 8 March 2026 Toronto springs forward: Friday 17:00 EST to Monday 09:00 EDT
    # is 63 real hours, not 64, and none of them counts.
    friday_five = local(2026, 3, 6, 17)
    assert add(friday_five, 1) == local(2026, 3, 9, 10)
    assert add(friday_five, 1) - friday_five == datetime.timedelta(hours=63 + 1)


def test_a_window_across_the_missing_hour_counts_its_real_length():
    sunday_night = (Window(6, datetime.time(1), datetime.time(4)),)  # 01:00 to 04:00, Sundays
    start = local(2026, 3, 8, 0)  # 02:00 to 03:00 does not exist that night
    assert working_hours_between(
        start, local(2026, 3, 8, 12), windows=sunday_night, holidays=(), zone=TORONTO
    ) == datetime.timedelta(hours=2)


def test_no_hours_means_around_the_clock():
    friday_evening = local(2026, 12, 4, 19)
    assert add(friday_evening, 4, windows=()) == friday_evening + datetime.timedelta(hours=4)


def test_two_windows_a_day_leave_the_lunch_hour_out():
    split = (Window(0, datetime.time(9), datetime.time(12)), Window(0, datetime.time(13), datetime.time(17)))
    assert add(local(2026, 12, 7, 11), 2, windows=split) == local(2026, 12, 7, 14)


def test_working_hours_between_counts_only_the_hours():
    between = working_hours_between(
        local(2026, 12, 4, 16), local(2026, 12, 7, 10), windows=NINE_TO_FIVE, holidays=(), zone=TORONTO
    )
    assert between == datetime.timedelta(hours=2)


@given(
    start=st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31)),
    minutes=st.integers(min_value=0, max_value=60 * 80),
)
def test_adding_then_measuring_gives_back_the_hours_added(start, minutes):
    start = start.replace(tzinfo=datetime.UTC)
    hours = datetime.timedelta(minutes=minutes)
    holidays = frozenset({datetime.date(2026, 12, 25), datetime.date(2027, 7, 1)})
    due = add_working_hours(start, hours, windows=NINE_TO_FIVE, holidays=holidays, zone=TORONTO)
    assert due >= start
    assert working_hours_between(start, due, windows=NINE_TO_FIVE, holidays=holidays, zone=TORONTO) == hours
    local_due = due.astimezone(ZONE)
    if minutes:  # a deadline always falls inside the hours of a working day
        assert local_due.weekday() < 5 and local_due.date() not in holidays
        assert datetime.time(9) < local_due.time() <= datetime.time(17)
