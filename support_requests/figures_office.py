"""Peer support on the office's figures page: per program and month, the counts exactly
as the program's monthly report published them (support_requests.reports), and nothing
else. So the office page can narrow no hidden cell:

- every string is one the program's report already shows (a month published once, in
  peers.models.PublishedTable, through peers.suppression): no new number is computed here;
- no totals, neither across months nor across programs (either would give back a hidden
  cell by subtraction);
- closed periods only: a program's rows appear once the whole term or year has ended in
  the program's zone. A closed month before the program's first request had none, so it
  reads 0 (a zero reveals nobody).

Queries: the stored months of every program (one), their first requests (one); a program
whose closed months were never published yet is published first, once, by its report."""

import datetime

from django.db.models import Min

from peers.figures import Figure, Period, Section
from peers.models import PublishedTable
from peers.services.published import month_of
from peers.suppression import SuppressedCounts
from support_requests import reports
from support_requests.models import SupportRequest

NONE_CAME = {"total": "0", "contacted": "0", "referrals": "0"}


def office_section(programs, period: Period) -> Section:
    closed = [p for p in programs if period.is_closed(p.time_zone)]
    stored = _stored(closed, period)
    firsts = dict(
        SupportRequest.objects.filter(program__in=[p.pk for p in closed])
        .values("program")
        .annotate(first=Min("created_at"))
        .values_list("program", "first")
        .order_by()
    )
    for program in closed:
        if _missing(program, period, firsts.get(program.pk), stored):
            reports.program_report(program)  # publishes its closed months, once ever
            stored |= _stored([program], period)
    rows = [
        _row(program, month, stored.get((program.pk, month), NONE_CAME))
        for program in closed
        for month in period.months()
    ]
    return Section(
        title="Peer support, by program (confidential: counts only)",
        note=(
            "Each program's months exactly as its monthly report published them; no totals across months or "
            "programs. Shown once the period has closed. “<5” is a count from 1 to 4; “suppressed” is withheld "
            "to protect another count."
            + ("" if len(closed) == len(programs) else " Programs whose period has not closed yet are not listed.")
        ),
        figures=[
            Figure(
                slug="office-support",
                title="Requests, first contacts and referrals out, by program and month",
                columns=["Program and month", "Requests", "First contacted", "Referrals out"],
                rows=rows,
            )
        ],
    )


def _stored(programs, period: Period) -> dict[tuple[int, datetime.date], dict]:
    tables = PublishedTable.objects.filter(
        program__in=[p.pk for p in programs], kind=reports.KIND, period__in=period.months()
    ).values_list("program", "period", "table")
    return {(program, month): _strings(table) for program, month, table in tables}


def _strings(table: dict) -> dict:
    return {
        "total": SuppressedCounts.from_json(table["by_reason"]).total,
        "contacted": table["first_contact"]["contacted"],
        "referrals": SuppressedCounts.from_json(table["referrals"]).total,
    }


def _missing(program, period: Period, first: datetime.datetime | None, stored: dict) -> bool:
    if first is None:
        return False
    since = month_of(first, program.time_zone)
    return any((program.pk, month) not in stored for month in period.months() if month >= since)


def _row(program, month: datetime.date, strings: dict) -> list:
    return [f"{program.name} · {month:%b %Y}", *(_number(strings[key]) for key in ("total", "contacted", "referrals"))]


def _number(text: str):
    return int(text) if text.isdigit() else text
