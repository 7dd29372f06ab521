"""Dates of a series' rounds, computed in the program's time zone."""

import calendar
import datetime
import zoneinfo

CADENCE_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3}


def nth_weekday(year: int, month: int, weekday: int, week: int) -> datetime.date | None:
    """The `week`-th (1-4, or -1 for last) `weekday` (0 = Monday) of a month."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if week == -1:
        return days[-1]
    return days[week - 1] if week - 1 < len(days) else None


def round_dates(
    *, starts_on: datetime.date, ends_on: datetime.date, cadence: str, weekday: int, week: int
) -> list[datetime.date]:
    step = CADENCE_MONTHS[cadence]
    year, month = starts_on.year, starts_on.month
    dates = []
    while datetime.date(year, month, 1) <= ends_on:
        day = nth_weekday(year, month, weekday, week)
        if day is not None and starts_on <= day <= ends_on:
            dates.append(day)
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dates


def local_to_utc(day: datetime.date, at: datetime.time, zone: str) -> datetime.datetime:
    """The UTC instant of a wall-clock time in `zone` (DST-aware: 12:00 stays 12:00 local)."""
    local = datetime.datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(datetime.UTC)


def wall_clock_problem(day: datetime.date, at: datetime.time, zone: str) -> str | None:
    """What a coordinator must know when `at` on `day` is not one moment in `zone`: it
    does not exist (clocks spring forward over it) or happens twice (they fall back).
    `local_to_utc` then takes the later reading of a gap (03:30 for 02:30) and the
    first of a repeat; this says so instead of moving the session silently."""
    tz = zoneinfo.ZoneInfo(zone)
    first = datetime.datetime.combine(day, at, tzinfo=tz)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    when = f"{at:%H:%M} on {day:%a %b %-d, %Y}"
    round_trip = first.astimezone(datetime.UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != first.replace(tzinfo=None):
        return f"{when} does not exist in {zone} (the clocks go forward); the session starts at {round_trip:%H:%M}."
    return f"{when} happens twice in {zone} (the clocks go back); the session starts at the first {at:%H:%M}."
