"""Clocks that fit people: first-contact deadlines count only within a program's support
hours (per weekday, in the program's zone) and not on its holidays.

`add_working_hours` and `working_hours_between` are pure: they take the hours, the
holidays and the zone, and touch no database. Every window is turned into two UTC
instants (local day + local time, in the zone) before any arithmetic, so a day that
changes the clocks is as long in support time as its hours say (09:00 to 17:00 is
8 hours on the day summer time starts too).

Decisions the issue left open:
- A program with no support hours counts around the clock (what every program did before
  support hours existed), so nothing changes until a coordinator enters them.
- The targets (`first_response_hours`, ...) are working hours: a 24-hour target in a
  program open 09:00 to 17:00 on weekdays is three working days. Programs that mean
  "the next working day" set 8.
- Urgent requests ("today") and screened-out ones count around the clock, like the
  quiet-hours hold (`counts_around_the_clock`, shared with notify._can_wait).
"""

import datetime
import zoneinfo
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

# However many holidays a calendar holds, a program with hours opens within this many days;
# past it the clock runs around the clock rather than never fall due.
SEARCH_DAYS = 400


@dataclass(frozen=True)
class Window:
    """Support hours on one weekday (0 is Monday), local times in the program's zone."""

    weekday: int
    starts: datetime.time
    ends: datetime.time


@dataclass(frozen=True)
class Clock:
    """What a program's deadlines count in."""

    windows: tuple[Window, ...]
    holidays: frozenset[datetime.date]
    zone: str

    @property
    def around_the_clock(self) -> bool:
        return not self.windows


ALWAYS = Clock(windows=(), holidays=frozenset(), zone="UTC")


def add_working_hours(
    start: datetime.datetime,
    hours: float | datetime.timedelta,
    *,
    windows: Iterable[Window],
    holidays: Collection[datetime.date],
    zone: str,
) -> datetime.datetime:
    """The UTC instant `hours` of support time after `start` (an aware datetime).

    Time counts only inside the windows of days that are not holidays. Starting outside
    the hours, the count begins at the next opening; zero hours gives that opening. No
    windows at all means around the clock."""
    remaining = hours if isinstance(hours, datetime.timedelta) else datetime.timedelta(hours=hours)
    start = start.astimezone(datetime.UTC)
    windows = tuple(windows)
    if not windows:
        return start + remaining
    for opens, closes in _open_spans(start, windows, holidays, zone):
        opens = max(opens, start)
        if closes <= opens:
            continue
        if remaining <= closes - opens:
            return opens + remaining
        remaining -= closes - opens
    return start + remaining  # nothing open for SEARCH_DAYS: never leave a deadline unset


def working_hours_between(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    windows: Iterable[Window],
    holidays: Collection[datetime.date],
    zone: str,
) -> datetime.timedelta:
    """How much support time lies between two instants (zero when `end` is not later)."""
    start, end = start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    windows = tuple(windows)
    if end <= start:
        return datetime.timedelta(0)
    if not windows:
        return end - start
    total = datetime.timedelta(0)
    for opens, closes in _open_spans(start, windows, holidays, zone):
        if opens >= end:
            break
        overlap = min(closes, end) - max(opens, start)
        total += max(overlap, datetime.timedelta(0))
    return total


def _open_spans(
    start: datetime.datetime, windows: tuple[Window, ...], holidays: Collection[datetime.date], zone: str
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """(opens, closes) in UTC, in order, from the local day of `start` on."""
    tz = zoneinfo.ZoneInfo(zone)
    day = start.astimezone(tz).date()
    by_weekday = {n: sorted((w for w in windows if w.weekday == n), key=lambda w: w.starts) for n in range(7)}
    for offset in range(SEARCH_DAYS):
        date = day + datetime.timedelta(days=offset)
        if date in holidays:
            continue
        for window in by_weekday[date.weekday()]:
            yield _utc(date, window.starts, tz), _utc(date, window.ends, tz)


def _utc(date: datetime.date, time: datetime.time, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(date, time, tzinfo=tz).astimezone(datetime.UTC)


def clock_add(clock: Clock, start: datetime.datetime, hours: float | datetime.timedelta) -> datetime.datetime:
    return add_working_hours(start, hours, windows=clock.windows, holidays=clock.holidays, zone=clock.zone)


def clock_between(clock: Clock, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
    return working_hours_between(start, end, windows=clock.windows, holidays=clock.holidays, zone=clock.zone)


def counts_around_the_clock(*, urgency: str, screened_out: bool) -> bool:
    """Urgent ("today") and screened-out requests: their deadlines and escalations never wait."""
    return urgency == "today" or screened_out


def program_clock(program) -> Clock:
    """The program's support hours and holidays (two queries). Without hours: around the clock."""
    from support_requests.models_hours import SupportHoliday, SupportHours

    windows = tuple(
        Window(row.weekday, row.starts_at, row.ends_at) for row in SupportHours.objects.filter(program=program)
    )
    if not windows:
        return ALWAYS
    holidays = frozenset(SupportHoliday.objects.filter(program=program).values_list("date", flat=True))
    return Clock(windows=windows, holidays=holidays, zone=program.time_zone)


def request_clock(request) -> Clock:
    """The clock one request's deadlines count in."""
    screened_out = request.status == "needs_referral" or bool(request.screening)
    if counts_around_the_clock(urgency=request.urgency, screened_out=screened_out):
        return ALWAYS
    return program_clock(request.program)
