"""Figures of closed periods, published once (peers.models.PublishedTable).

A period is a calendar month in the program's time zone. It is closed once it has
ended there; only closed months are published, and each from its own rows only, so the
open month never shows and two reports a month apart differ only by a new month.
"""

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.utils import timezone

from peers.models import PublishedTable, TrainingProgram


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_of(moment: datetime.datetime, zone: str) -> datetime.date:
    return moment.astimezone(ZoneInfo(zone)).date().replace(day=1)


def month_bounds(month: datetime.date, zone: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first and next month's first instant, local midnight, in UTC."""
    tz, following = ZoneInfo(zone), _next_month(month)
    start = datetime.datetime(month.year, month.month, 1, tzinfo=tz)
    end = datetime.datetime(following.year, following.month, 1, tzinfo=tz)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def closed_months(*, since: datetime.datetime | None, zone: str) -> list[datetime.date]:
    """Every month from the one holding `since` to the last that has ended in `zone`."""
    if since is None:
        return []
    month, current = month_of(since, zone), month_of(timezone.now(), zone)
    months = []
    while month < current:
        months.append(month)
        month = _next_month(month)
    return months


def published_tables(
    *,
    program: TrainingProgram,
    kind: str,
    periods: list[datetime.date],
    compute: Callable[[list[datetime.date]], dict[datetime.date, dict]],
) -> dict[datetime.date, dict]:
    """The stored figures of every published period of this kind, publishing the missing
    closed ones first.

    1. Read what is stored (all periods: what was published once stays published).
    2. Compute the missing periods, in one call, so the queries do not grow with them.
    3. Insert them with ON CONFLICT DO NOTHING: if a concurrent first read stored a period
       first, its row stands.
    4. Read again, so what is shown is exactly what is stored.
    """
    stored = _stored(program, kind)
    missing = [period for period in periods if period not in stored]
    if not missing:
        return stored
    now = timezone.now()
    if any(month_bounds(period, program.time_zone)[1] > now for period in missing):
        raise ValueError("Only closed periods are published.")
    computed = compute(missing)
    PublishedTable.objects.bulk_create(
        [PublishedTable(program=program, kind=kind, period=period, table=computed[period]) for period in missing],
        ignore_conflicts=True,
    )
    return _stored(program, kind)


def _stored(program: TrainingProgram, kind: str) -> dict[datetime.date, dict]:
    rows = PublishedTable.objects.filter(program=program, kind=kind).values_list("period", "table")
    return dict(rows.order_by("period"))
