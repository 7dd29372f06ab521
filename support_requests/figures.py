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
"""

from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from peers.figures import Figure, Period, Section
from peers.figures.figure import share
from peers.services.published import month_bounds, published_tables
from peers.suppression import SUPPRESSED, suppress_counts
from support_requests import reports
from support_requests.models import SupportRequest

TARGET_KIND = "support.first_contact_target"
TARGET_LABELS = ["within", "beyond"]


def program_section(program, period: Period) -> Section:
    report = reports.program_report(program)
    months = [row for row in report["months"] if period.start <= row["month"] < period.end]
    target = _target_lines(program, report, months)
    return Section(
        title="Peer support (confidential: counts only)",
        note=(
            "Closed months only, each exactly as first published; no totals across months. "
            "“<5” is a count from 1 to 4; “suppressed” is withheld to protect another count."
        ),
        figures=[_by_reason(report, months), _first_contact(months, target), _referrals(report, months)],
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
