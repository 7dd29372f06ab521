"""Counts for coordinators and leads. Small cells are suppressed so that nobody in a
small community can be recognised: any count from 1 to 4 shows as "<5", and enough
other cells are suppressed (complementary suppression) that no suppressed value can
be worked out from the totals. Zeros reveal no one and are shown."""

import statistics

from django.db.models import Count
from django.db.models.functions import TruncMonth

from support_requests.models import Reason, Referral, SupportRequest

SMALL = "<5"
SUPPRESSED = "suppressed"


def _is_small(value: int) -> bool:
    return 0 < value < 5


def suppress(matrix: list[list[int]]) -> dict:
    """Suppress a table and its row, column and grand totals.

    1. Primary: every cell and total from 1 to 4 shows as "<5".
    2. Complementary, repeated until nothing changes: in any row or column whose total
       is shown, the hidden cells must be at least two and add up to 5 or more, or the
       reader could work them out; otherwise the smallest other cell (non-zero first) is
       hidden too, or, if none is left, the total. The same holds for the totals.
    Cells hidden only to protect others show as "suppressed", not "<5".
    """
    rows, cols = len(matrix), len(matrix[0]) if matrix else 0
    row_totals = [sum(row) for row in matrix]
    col_totals = [sum(matrix[r][c] for r in range(rows)) for c in range(cols)]
    grand = sum(row_totals)
    hidden = {(r, c) for r in range(rows) for c in range(cols) if _is_small(matrix[r][c])}
    hidden_rows = {r for r in range(rows) if _is_small(row_totals[r])}
    hidden_cols = {c for c in range(cols) if _is_small(col_totals[c])}
    grand_hidden = [_is_small(grand)]
    value = lambda cell: matrix[cell[0]][cell[1]]  # noqa: E731
    changed = True
    while changed:
        changed = False
        for r in range(rows):
            line = [(r, c) for c in range(cols)]
            changed |= _protect(line, hidden, value, r in hidden_rows, lambda r=r: hidden_rows.add(r))
        for c in range(cols):
            line = [(r, c) for r in range(rows)]
            changed |= _protect(line, hidden, value, c in hidden_cols, lambda c=c: hidden_cols.add(c))
        for totals, hidden_totals in ((row_totals, hidden_rows), (col_totals, hidden_cols)):
            line = list(range(len(totals)))
            changed |= _protect(
                line,
                hidden_totals,
                lambda i, t=totals: t[i],
                grand_hidden[0],
                lambda: grand_hidden.__setitem__(0, True),
            )

    def show(number: int, secret: bool) -> str:
        if not secret:
            return str(number)
        return SMALL if _is_small(number) else SUPPRESSED

    return {
        "cells": [[show(matrix[r][c], (r, c) in hidden) for c in range(cols)] for r in range(rows)],
        "row_totals": [show(row_totals[r], r in hidden_rows) for r in range(rows)],
        "col_totals": [show(col_totals[c], c in hidden_cols) for c in range(cols)],
        "grand_total": show(grand, grand_hidden[0]),
    }


def _protect(line: list, hidden: set, value, total_hidden: bool, hide_total) -> bool:
    """Hide one more item of `line` (or its total) if its hidden items could be worked out."""
    secret = [item for item in line if item in hidden]
    if not secret or total_hidden or (len(secret) >= 2 and sum(value(item) for item in secret) >= 5):
        return False
    candidates = sorted((item for item in line if item not in hidden), key=lambda item: (value(item) == 0, value(item)))
    if candidates and any(value(item) for item in candidates):
        hidden.add(candidates[0])
    else:
        hide_total()
    return True


def program_report(program) -> dict:
    """Requests by month and reason, time to first contact, referrals out (three queries)."""
    reasons = [value for value, _ in Reason.choices] + [""]  # "" = referred at screening
    rows = (
        SupportRequest.objects.filter(program=program)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "reason")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    months = sorted({row["month"] for row in rows})
    matrix = [[0] * len(reasons) for _ in months]
    for row in rows:
        column = reasons.index(row["reason"] or "")
        matrix[months.index(row["month"])][column] += row["n"]
    by_reason = suppress(matrix) if months else None
    contacts = (
        SupportRequest.objects.filter(program=program, first_contact_at__isnull=False)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "created_at", "first_contact_at")
    )
    hours: dict = {}
    for month, created, contacted in contacts:
        hours.setdefault(month, []).append((contacted - created).total_seconds() / 3600)
    first_contact = [
        {
            "month": month,
            "median_hours": None if len(values) < 5 else round(statistics.median(values), 1),
            "count": SMALL if _is_small(len(values)) else str(len(values)),
        }
        for month, values in sorted(hours.items())
    ]
    referral_rows = dict(
        Referral.objects.filter(request__program=program)
        .values_list("resource")
        .annotate(n=Count("pk"))
        .values_list("resource", "n")
    )
    resources = list(Referral.Resource.choices)
    referrals = suppress([[referral_rows.get(value, 0) for value, _ in resources]])
    table_rows = (
        [
            (month, cells, total)
            for month, cells, total in zip(months, by_reason["cells"], by_reason["row_totals"], strict=True)
        ]
        if by_reason
        else []
    )
    referral_rows = [(label, cell) for (_, label), cell in zip(resources, referrals["cells"][0], strict=True)]
    return {
        "reasons": Reason.choices,
        "by_reason": by_reason,
        "table_rows": table_rows,
        "first_contact": first_contact,
        "referral_rows": referral_rows,
        "referrals": referrals,
    }
