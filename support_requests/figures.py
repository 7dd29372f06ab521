"""The support section of the figures pages: counts only, each closed month exactly as
published (support_requests/reports.py, peers.models.PublishedTable), through the one
suppression engine.

Nothing here can narrow a hidden cell:
- A month is shown only once it has closed, and always as first published: a term's
  page and its year's page show the same strings for the same month as the monthly
  report, so one page subtracted from another gives nothing new.
- No total across months (no "whole period" row, no term total): a running total beside
  monthly figures would give back a hidden month by subtraction.
- Time to first contact against the target is one more line per month, within and
  beyond the target, whose total is the month's "contacted" already published. The
  engine may want to hide that total; since the monthly report shows it, both cells are
  then withheld instead ("suppressed": any count), so the line adds nothing an attacker
  could combine with the published total. The share within target is shown only when
  both its numbers are.
- Outreach (referrals and after events) is counted by the month its outcome was recorded,
  one line per closed month, published once and suppressed as one line with its total.
  Not by the month it was asked for: then each outcome line would bound a month's hidden
  "adverse event" or "something else" cell in the requests table from below.
"""

from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from peers.figures import Figure, Period, Section
from peers.figures.figure import share
from peers.services.published import month_bounds, published_tables
from peers.suppression import SUPPRESSED, suppress_counts
from support_requests import reports
from support_requests.models import Outreach, OutreachOutcome, SupportRequest

TARGET_KIND = "support.first_contact_target"
TARGET_LABELS = ["within", "beyond"]
OUTREACH_KIND = "support.outreach_outcomes"
OUTREACH_OUTCOMES = list(OutreachOutcome)


def program_section(program, period: Period) -> Section:
    report = reports.program_report(program)
    months = [row for row in report["months"] if period.start <= row["month"] < period.end]
    target = _target_lines(program, report, months)
    outreach = _outreach_lines(program, report, months)
    return Section(
        title="Peer support (confidential: counts only)",
        note=(
            "Closed months only, each exactly as first published; no totals across months. "
            "“<5” is a count from 1 to 4; “suppressed” is withheld to protect another count."
        ),
        figures=[
            _by_reason(report, months),
            _first_contact(months, target),
            _referrals(report, months),
            _outreach(months, outreach),
        ],
    )


def _by_reason(report, months) -> Figure:
    return Figure(
        slug="support-requests",
        title="Requests by month and reason",
        columns=["Month", "Requests", *(label for _, label in report["reasons"])],
        rows=[[f"{row['month']:%b %Y}", _number(row["total"]), *row["reasons"]] for row in months],
    )


def _first_contact(months, target: dict) -> Figure:
    rows = []
    for row in months:
        line = target.get(row["month"], {"cells": [SUPPRESSED, SUPPRESSED]})
        within, beyond = line["cells"]
        contacted = row["first_contact"]["contacted"]
        rate = share(int(within), int(contacted)) if within.isdigit() and contacted.isdigit() else "–"
        median = row["first_contact"]["median_hours"]
        rows.append([f"{row['month']:%b %Y}", rate, contacted, "–" if median is None else median, within, beyond])
    return Figure(
        slug="support-first-contact",
        title="Time to first contact against the target",
        columns=["Month", "Within target", "First contacted", "Median hours", "Within", "Beyond"],
        rows=rows,
        unit="%",
        note="The median only for 5 contacts or more. The target is the program's, urgent requests' shorter.",
    )


def _referrals(report, months) -> Figure:
    return Figure(
        slug="support-referrals",
        title="Referrals out, by resource",
        columns=["Month", "Referrals", *(label for _, label in report["resources"])],
        rows=[[f"{row['month']:%b %Y}", _number(row["referrals_total"]), *row["referrals"]] for row in months],
    )


def _outreach(months, lines: dict) -> Figure:
    rows = []
    for row in months:
        line = lines[row["month"]]
        rows.append([f"{row['month']:%b %Y}", _number(line["total"]), *(_number(cell) for cell in line["cells"])])
    return Figure(
        slug="support-outreach",
        title="Outreach (referrals and after events), by how it ended",
        columns=["Month", "Outreach ended", *(outcome.label for outcome in OUTREACH_OUTCOMES)],
        rows=rows,
        note="Counted in the month the supporter recorded how it went. Still open: not counted yet.",
    )


def _outreach_lines(program, report, months) -> dict:
    """Each shown month's outreach outcomes, published once like the report."""
    if not months:
        return {}
    return published_tables(
        program=program,
        kind=OUTREACH_KIND,
        periods=[row["month"] for row in report["months"]],
        compute=lambda missing: _compute_outreach(program, missing),
    )


def _compute_outreach(program, months) -> dict:
    """One aggregate for every missing month: how many outreaches ended each way."""
    zone = program.time_zone
    start, end = month_bounds(months[0], zone)[0], month_bounds(months[-1], zone)[1]
    rows = (
        Outreach.objects.filter(request__program=program, outcome_at__gte=start, outcome_at__lt=end)
        .annotate(month=TruncMonth("outcome_at", tzinfo=ZoneInfo(zone)))
        .values("month", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {month: dict.fromkeys(OUTREACH_OUTCOMES, 0) for month in months}
    for row in rows:
        if (month := row["month"].date()) in counts:
            counts[month][OutreachOutcome(row["outcome"])] = row["n"]
    labels = [outcome.value for outcome in OUTREACH_OUTCOMES]
    lines = {month: suppress_counts(list(counts[month].values()), labels=labels) for month in months}
    return {month: {"cells": line.cells, "total": line.total} for month, line in lines.items()}


def _number(text: str):
    return int(text) if text.isdigit() else text


def _target_lines(program, report, months) -> dict:
    """Each shown month's within/beyond-target line, published once like the report."""
    if not months:
        return {}
    contacted = {row["month"]: row["first_contact"]["contacted"] for row in report["months"]}
    return published_tables(
        program=program,
        kind=TARGET_KIND,
        periods=list(contacted),  # every month the report published (closed, all of them)
        compute=lambda missing: _compute(program, missing, contacted),
    )


def _compute(program, months, contacted: dict) -> dict:
    """One aggregate for every missing month: within and beyond the target."""
    zone = program.time_zone
    start, end = month_bounds(months[0], zone)[0], month_bounds(months[-1], zone)[1]
    rows = (
        SupportRequest.objects.filter(program=program, first_contact_at__gte=start, first_contact_at__lt=end)
        .annotate(month=TruncMonth("first_contact_at", tzinfo=ZoneInfo(zone)))
        .values("month")
        .annotate(
            within=Count("pk", filter=Q(first_contact_at__lte=F("first_contact_due_at"))),
            beyond=Count("pk", filter=Q(first_contact_at__gt=F("first_contact_due_at"))),
        )
        .order_by()
    )
    counts = {month: (0, 0) for month in months}
    for row in rows:
        if (month := row["month"].date()) in counts:
            counts[month] = (row["within"], row["beyond"])
    return {month: _line(counts[month], contacted[month]) for month in months}


def _line(counts: tuple[int, int], published_total: str) -> dict:
    line = suppress_counts(list(counts), labels=TARGET_LABELS)
    if line.total != published_total:  # the report shows this total: withhold both cells instead
        return {"cells": [SUPPRESSED, SUPPRESSED], "total": published_total}
    return {"cells": line.cells, "total": line.total}
