"""The faculty mentor's monthly summary of their pairs' compliance."""

import calendar

from django.db import transaction
from django.utils import timezone

from mentoring import notify
from mentoring.models import FacultySummary, MentorPair
from mentoring.selectors.duties import duty_statuses
from mentoring.selectors.summaries import faculty_summaries_due


def faculty_summaries_send() -> int:
    """Sweep: from the first of each month (in the program's zone), each faculty mentor
    gets one summary of the month just closed: per pair, how many mentees were
    contacted that month and met this semester. Returns the summaries sent.

    1. Find who is owed one, in one query (no summary row for the month yet).
    2. Claim each by creating its row, UNIQUE(faculty mentor, cycle, month): a second
       sweep at the same moment waits on the insert, finds the row made, and moves on.
    3. Count and send inside the claim's transaction, so a failure leaves no row and
       the next sweep tries again."""
    sent = 0
    for faculty_id, cycle_id, month in faculty_summaries_due(now=timezone.now()):
        with transaction.atomic():
            summary, created = FacultySummary.objects.get_or_create(
                faculty_mentor_id=faculty_id, cycle_id=cycle_id, month=month
            )
            if not created:
                continue
            _summarise(summary)
            sent += 1
    return sent


def _summarise(summary: FacultySummary) -> None:
    pairs = list(
        MentorPair.objects.published()
        .filter(cycle=summary.cycle_id, faculty_mentor=summary.faculty_mentor_id)
        .select_related("cycle__program", "third_year", "fourth_year", "faculty_mentor")
        .prefetch_related("mentees")
        .order_by("pk")
    )
    if not pairs:  # dissolved since: the row stays as the month's claim, with nothing to say
        return
    program = pairs[0].cycle.program
    month_end = summary.month.replace(day=calendar.monthrange(summary.month.year, summary.month.month)[1])
    statuses = duty_statuses(pairs=pairs, today=month_end, zone=program.time_zone)
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
    summary.mentees = sum(r["mentees"] for r in rows)
    summary.contacted = sum(r["contacted"] for r in rows)
    summary.met = sum(r["met"] for r in rows)
    summary.save(update_fields=["mentees", "contacted", "met"])
    notify.faculty_summary(summary, pairs[0].faculty_mentor, rows)
