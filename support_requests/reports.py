"""Peer support figures for coordinators and leads, through the one suppression engine
(peers.suppression): counts from 1 to 4 read "<5", complementary cells "suppressed", and
no hidden cell can be narrowed to fewer than two values by what the table publishes.

What is published, and why nothing can be subtracted out:
- One table per closed calendar month (ended in the program's time zone), computed only
  from that month's rows: requests that came in the month by reason ("referred at
  screening" for those with none), with the month's total; time to first contact of the
  requests first contacted in the month (the median only for 5 or more, the count through
  the engine); referrals made in the month by resource, with their total.
- The open month is never shown, and each closed month is stored the first time it is
  shown (peers.models.PublishedTable): re-categorising or purging an old request changes
  nothing already published, so two reports differ only by whole new months.
- No totals across months: a running total beside the monthly tables would give back a
  hidden monthly figure by subtraction. Each month is its own table, checked on its own.
"""

import datetime
import statistics
from zoneinfo import ZoneInfo

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth

from peers.services.published import closed_months, month_bounds, month_of, published_tables
from peers.suppression import SuppressedCounts, may_show, suppress_count, suppress_counts
from support_requests.models import Reason, Referral, SupportRequest

KIND = "support.month"
SCREENED = ""  # no reason: referred at screening
REASONS = [*Reason.choices, (SCREENED, "Referred at screening")]
RESOURCES = list(Referral.Resource.choices)


def program_report(program) -> dict:
    """Every published month of the program, oldest first. Queries: the first request,
    the stored months; when a closed month is not stored yet, three aggregates, one
    insert and the stored months again."""
    first = SupportRequest.objects.filter(program=program).aggregate(first=Min("created_at"))["first"]
    stored = published_tables(
        program=program,
        kind=KIND,
        periods=closed_months(since=first, zone=program.time_zone),
        compute=lambda months: _compute(program, months),
    )
    return {
        "reasons": REASONS,
        "resources": RESOURCES,
        "months": [_month_row(month, figures) for month, figures in stored.items()],
    }


def _month_row(month: datetime.date, figures: dict) -> dict:
    by_reason = SuppressedCounts.from_json(figures["by_reason"])
    referrals = SuppressedCounts.from_json(figures["referrals"])
    reasons, resources = dict(by_reason.items()), dict(referrals.items())
    row = {
        "month": month,
        "reasons": [reasons.get(value, "–") for value, _ in REASONS],
        "total": by_reason.total,
        "first_contact": figures["first_contact"],
        "referrals": [resources.get(value, "–") for value, _ in RESOURCES],
        "referrals_total": referrals.total,
    }
    # Each cell with its column's name (the phone's stacked table labels each cell), made
    # here once rather than looked up cell by cell in the template.
    row["reason_cells"] = list(zip([label for _, label in REASONS], row["reasons"], strict=True))
    row["referral_cells"] = list(zip([label for _, label in RESOURCES], row["referrals"], strict=True))
    return row


def _compute(program, months: list[datetime.date]) -> dict[datetime.date, dict]:
    """Each month's figures, from that month's rows only, suppressed (three queries)."""
    zone = ZoneInfo(program.time_zone)
    start, end = month_bounds(months[0], program.time_zone)[0], month_bounds(months[-1], program.time_zone)[1]
    requests = (
        SupportRequest.objects.filter(program=program, created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month", "reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_reason = {month: dict.fromkeys((value for value, _ in REASONS), 0) for month in months}
    for row in requests:
        if (month := row["month"].date()) in by_reason:
            by_reason[month][row["reason"] or SCREENED] += row["n"]
    contacts = SupportRequest.objects.filter(
        program=program, first_contact_at__gte=start, first_contact_at__lt=end
    ).values_list("created_at", "first_contact_at")
    hours: dict = {month: [] for month in months}
    for created, contacted in contacts:
        month = month_of(contacted, program.time_zone)
        hours.setdefault(month, []).append((contacted - created).total_seconds() / 3600)
    referred = (
        Referral.objects.filter(request__program=program, at__gte=start, at__lt=end)
        .annotate(month=TruncMonth("at", tzinfo=zone))
        .values("month", "resource")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_resource = {month: dict.fromkeys((value for value, _ in RESOURCES), 0) for month in months}
    for row in referred:
        if (month := row["month"].date()) in by_resource:
            by_resource[month][row["resource"]] += row["n"]
    return {
        month: {
            "by_reason": _line(by_reason[month]),
            "first_contact": _first_contact(hours[month]),
            "referrals": _line(by_resource[month]),
        }
        for month in months
    }


def _line(counts: dict[str, int]) -> dict:
    return suppress_counts(list(counts.values()), labels=list(counts)).to_json()


def _first_contact(hours: list[float]) -> dict:
    return {
        "contacted": suppress_count(len(hours)),
        "median_hours": round(statistics.median(hours), 1) if may_show(len(hours)) else None,
    }
