"""Counts for coordinators and leads. Small cells are suppressed so that nobody in a
small community can be recognised: any count from 1 to 4 shows as "<5", and enough
other cells are suppressed (complementary suppression) that no suppressed value can
be worked out from the totals. Zeros reveal no one and are shown."""

import statistics

from django.db.models import Count
from django.db.models.functions import TruncMonth

from support_requests.models import Reason, Referral, SupportRequest

SMALL = "<5"


def _is_small(value: int) -> bool:
    return 0 < value < 5


def suppress(matrix: list[list[int]]) -> dict:
    """Suppress a table and its row, column and grand totals.

    1. Primary: every cell and total from 1 to 4.
    2. Complementary, repeated until nothing changes: a row or column with exactly one
       suppressed cell and a shown total gets its smallest other cell (non-zero first)
       suppressed too, or, failing that, its total.
    Returns the display strings for cells, row totals, column totals and the grand total.
    """
    rows, cols = len(matrix), len(matrix[0]) if matrix else 0
    row_totals = [sum(row) for row in matrix]
    col_totals = [sum(matrix[r][c] for r in range(rows)) for c in range(cols)]
    grand = sum(row_totals)
    hidden = {(r, c) for r in range(rows) for c in range(cols) if _is_small(matrix[r][c])}
    hidden_rows = {r for r in range(rows) if _is_small(row_totals[r])}
    hidden_cols = {c for c in range(cols) if _is_small(col_totals[c])}
    hidden_grand = _is_small(grand)
    changed = True
    while changed:
        changed = False
        for r in range(rows):
            changed |= _complete(hidden, [(r, c) for c in range(cols)], matrix, r in hidden_rows, hidden_rows, r)
        for c in range(cols):
            changed |= _complete(hidden, [(r, c) for r in range(rows)], matrix, c in hidden_cols, hidden_cols, c)
        changed |= _complete_totals(row_totals, hidden_rows, hidden_grand)
        changed |= _complete_totals(col_totals, hidden_cols, hidden_grand)
    show = lambda value, secret: SMALL if secret else str(value)  # noqa: E731
    return {
        "cells": [[show(matrix[r][c], (r, c) in hidden) for c in range(cols)] for r in range(rows)],
        "row_totals": [show(row_totals[r], r in hidden_rows) for r in range(rows)],
        "col_totals": [show(col_totals[c], c in hidden_cols) for c in range(cols)],
        "grand_total": show(grand, hidden_grand),
    }


def _complete(hidden: set, line: list, matrix, total_hidden: bool, hidden_totals: set, index: int) -> bool:
    secret = [cell for cell in line if cell in hidden]
    if len(secret) != 1 or total_hidden:
        return False
    candidates = sorted(
        (cell for cell in line if cell not in hidden),
        key=lambda cell: (matrix[cell[0]][cell[1]] == 0, matrix[cell[0]][cell[1]]),
    )
    if candidates:
        hidden.add(candidates[0])
    else:
        hidden_totals.add(index)
    return True


def _complete_totals(totals: list[int], hidden_totals: set, grand_hidden: bool) -> bool:
    if len(hidden_totals) != 1 or grand_hidden:
        return False
    candidates = sorted(
        (i for i in range(len(totals)) if i not in hidden_totals), key=lambda i: (totals[i] == 0, totals[i])
    )
    if not candidates:
        return False
    hidden_totals.add(candidates[0])
    return True


def program_report(program) -> dict:
    """Requests by month and reason, time to first contact, referrals out (three queries)."""
    reasons = [value for value, _ in Reason.choices]
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
        column = reasons.index(row["reason"]) if row["reason"] in reasons else reasons.index("other")
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
