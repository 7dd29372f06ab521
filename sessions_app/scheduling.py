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
