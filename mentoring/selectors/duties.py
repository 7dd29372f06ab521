"""Who is on duty for a pair, and how each mentee's duties stand."""

import datetime

from mentoring.models import AwayNotice, Contact, Meeting, Mentee, MentorPair, Outreach
from peers.models import User


def on_duty(*, pair: MentorPair, day: datetime.date) -> list[User]:
    """Who answers for the pair on `day`: the mentors not away; if both are away, the faculty mentor."""
    return on_duty_by_pair(pairs=[pair], day=day)[pair.pk]


def on_duty_by_pair(*, pairs: list[MentorPair], day: datetime.date) -> dict[int, list[User]]:
    """`on_duty` for many pairs in one query (their mentors loaded with them)."""
    away = set(
        AwayNotice.objects.filter(pair__in=pairs, starts_on__lte=day, ends_on__gte=day).values_list(
            "pair_id", "mentor_id"
        )
    )
    duty = {}
    for pair in pairs:
        present = [mentor for mentor in pair.mentors() if (pair.pk, mentor.pk) not in away]
        duty[pair.pk] = present or [pair.faculty_mentor]
    return duty


def duty_status(*, pair: MentorPair, today: datetime.date) -> dict[int, dict]:
    return duty_statuses(pairs=[pair], today=today)


def duty_statuses(*, pairs: list[MentorPair], today: datetime.date) -> dict[int, dict]:
    """Per mentee of the pairs: met this semester, contacted this month (a meeting, an
    outreach, or an answered contact). Four queries, however many pairs."""
    if not pairs:
        return {}
    month_start = today.replace(day=1)
    met, contacted = _met_and_contacted_at_meetings(pairs, today, month_start)
    contacted |= set(
        Outreach.objects.filter(mentee__pair__in=pairs, on__gte=month_start, on__lte=today).values_list(
            "mentee_id", flat=True
        )
    )
    contacted |= set(
        Contact.objects.filter(pair__in=pairs, answered_at__date__gte=month_start).values_list("mentee_id", flat=True)
    )
    mentees = Mentee.objects.filter(pair__in=pairs).values_list("pk", flat=True)
    return {pk: {"met": pk in met, "contacted": pk in contacted} for pk in mentees}


def _met_and_contacted_at_meetings(
    pairs: list[MentorPair], today: datetime.date, month_start: datetime.date
) -> tuple[set[int], set[int]]:
    semester_starts = {pair.pk: (pair.cycle.semester_of(today) or (None, None))[0] for pair in pairs}
    meetings = Meeting.objects.filter(pair__in=pairs, held_on__lte=today).values_list("pair_id", "held_on", "mentees")
    met, contacted = set(), set()
    for pair_id, held_on, mentee_id in meetings:
        if semester_starts[pair_id] and held_on >= semester_starts[pair_id]:
            met.add(mentee_id)
        if held_on >= month_start:
            contacted.add(mentee_id)
    return met, contacted
