"""Requesters' anonymous feedback, as it leaves the app: per closed month, the answers
counted through the one suppression engine (peers.suppression) and the comments only
from five writers, alphabetically; published once, like the support report."""

import datetime

from django.db.models import Min

from peers.models import TrainingProgram
from peers.services.published import closed_months, month_bounds, published_tables
from peers.suppression import publishable_texts, suppress_counts
from support_requests.models import SupportFeedback

KIND = "support_feedback"


def feedback_report(program: TrainingProgram) -> list[dict]:
    """[{"month": date, "answers": [(label, shown)], "total": shown, "comments": [...] or None}]"""
    first = SupportFeedback.objects.filter(program=program).aggregate(first=Min("month"))["first"]
    if first is None:
        return []  # feedback is never deleted: none now means none ever published
    months = closed_months(since=month_bounds(first, program.time_zone)[0], zone=program.time_zone)
    tables = published_tables(program=program, kind=KIND, periods=months, compute=lambda m: _compute(program, m))
    return [{"month": month, **table} for month, table in tables.items()]


def _compute(program: TrainingProgram, months: list[datetime.date]) -> dict[datetime.date, dict]:
    rows = SupportFeedback.objects.filter(program=program, month__in=months).only("month", "helpful", "comment")
    by_month: dict[datetime.date, list[SupportFeedback]] = {month: [] for month in months}
    for row in rows:
        by_month[row.month].append(row)
    choices = SupportFeedback.Helpful.choices
    result = {}
    for month, given in by_month.items():
        counts = [sum(1 for row in given if row.helpful == value) for value, _ in choices]
        shown = suppress_counts(counts, labels=[label for _, label in choices])
        result[month] = {
            "answers": shown.items(),
            "total": shown.total,
            "comments": publishable_texts([row.comment or "" for row in given]),
        }
    return result
