"""The faculty mentor's monthly summary of their pairs' compliance."""

import calendar
import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from mentoring import notify
from mentoring.models import FacultySummary, MentorPair
from mentoring.selectors.duties import duty_statuses
from mentoring.selectors.summaries import faculty_summaries_due

# Summaries claimed and sent per transaction.
BATCH = 60

CLAIM = f"""
    INSERT INTO {FacultySummary._meta.db_table} (faculty_mentor_id, cycle_id, month, mentees, contacted, met, sent_at)
    SELECT faculty_mentor_id, cycle_id, month, 0, 0, 0, %s
    FROM unnest(%s::bigint[], %s::bigint[], %s::date[]) AS owed (faculty_mentor_id, cycle_id, month)
    ON CONFLICT (faculty_mentor_id, cycle_id, month) DO NOTHING
    RETURNING id, faculty_mentor_id, cycle_id, month
"""


def faculty_summaries_send() -> int:
    """Sweep: from the first of each month (in the program's zone), each faculty mentor
    gets one summary of the month just closed: per pair, how many mentees were
    contacted that month and met this semester. Returns the summaries sent.

    1. Find who is owed one, in one query (no summary row for the month yet).
    2. Claim a batch of them by creating their rows, UNIQUE(faculty mentor, cycle,
       month), in one INSERT ... ON CONFLICT DO NOTHING RETURNING: a second sweep at the
       same moment waits on the insert, finds the rows made, and gets none of them back.
    3. Count and send the rows claimed inside the claim's transaction, together (a
       fixed number of queries per batch, and four more for each program and month in
       it), so a failure leaves no row and the next sweep tries again."""
    owed = list(faculty_summaries_due(now=timezone.now()))
    sent = 0
    for start in range(0, len(owed), BATCH):
        with transaction.atomic():
            claimed = _claim(owed[start : start + BATCH])
            if claimed:
                _summarise(claimed)
            sent += len(claimed)
    return sent


def _claim(owed: list[tuple[int, int, datetime.date]]) -> list[FacultySummary]:
    """Create the batch's rows; return those this sweep created (its claims)."""
    faculty, cycles, months = (list(column) for column in zip(*owed, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(CLAIM, [timezone.now(), faculty, cycles, months])
        rows = cursor.fetchall()
    return [
        FacultySummary(pk=pk, faculty_mentor_id=faculty_id, cycle_id=cycle_id, month=month)
        for pk, faculty_id, cycle_id, month in sorted(rows, key=lambda row: (row[1], row[2]))
    ]


def _summarise(summaries: list[FacultySummary]) -> None:
    """Count and send the claimed summaries: their pairs with their mentees in two
    queries, the duties of each program's pairs in four, the counts in one UPDATE, the
    notifications together."""
    wanted = {(summary.faculty_mentor_id, summary.cycle_id) for summary in summaries}
    pairs_of: dict[tuple[int, int], list[MentorPair]] = defaultdict(list)
    for pair in (
        MentorPair.objects.current()  # a dissolved pair has nobody left to report on
        .filter(
            cycle__in={cycle_id for _, cycle_id in wanted},
            faculty_mentor__in={faculty_id for faculty_id, _ in wanted},
        )
        .select_related("cycle__program", "third_year", "fourth_year", "faculty_mentor")
        .prefetch_related("mentees")
        .order_by("pk")
    ):
        if (pair.faculty_mentor_id, pair.cycle_id) in wanted:
            pairs_of[pair.faculty_mentor_id, pair.cycle_id].append(pair)
    # Dissolved since, a summary has no pairs: its row stays as the month's claim, with nothing to say.
    summaries = [summary for summary in summaries if pairs_of[summary.faculty_mentor_id, summary.cycle_id]]
    by_day: dict[tuple[str, datetime.date], list[MentorPair]] = defaultdict(list)
    for summary in summaries:
        pairs = pairs_of[summary.faculty_mentor_id, summary.cycle_id]
        by_day[pairs[0].cycle.program.time_zone, _month_end(summary.month)].extend(pairs)
    statuses = {}
    for (zone, month_end), pairs in by_day.items():
        statuses.update(duty_statuses(pairs=pairs, today=month_end, zone=zone))
    sends = []
    for summary in summaries:
        pairs = pairs_of[summary.faculty_mentor_id, summary.cycle_id]
        rows = []
        for pair in pairs:
            mine = [statuses[m.pk] for m in pair.mentees.all()]
            rows.append(
                {
                    "pair": pair,
                    "mentees": len(mine),
                    "contacted": sum(s["contacted"] for s in mine),
                    "met": sum(s["met"] for s in mine),
                }
            )
        summary.cycle = pairs[0].cycle
        summary.mentees = sum(r["mentees"] for r in rows)
        summary.contacted = sum(r["contacted"] for r in rows)
        summary.met = sum(r["met"] for r in rows)
        sends.append((summary, pairs[0].faculty_mentor, rows))
    if sends:
        FacultySummary.objects.bulk_update(summaries, ["mentees", "contacted", "met"])
        notify.faculty_summary(sends)


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])
