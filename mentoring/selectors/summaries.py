"""Which faculty mentors are owed their monthly summary."""

import datetime

from django.db.models import DateField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from mentoring.models import FacultySummary, MentorPair


def faculty_summaries_due(*, now: datetime.datetime) -> QuerySet:
    """(faculty_mentor_id, cycle_id, month) of every faculty mentor owed the summary of
    the month just closed in the program's zone, in one query: they have a running pair
    of the cycle (not dissolved) published before this month began, the cycle ran into that month, and no
    summary row for it exists yet."""
    earliest = (now - datetime.timedelta(days=33)).date()  # cycles that ended before last month owe nothing
    local_today = Cast(Func(F("cycle__program__time_zone"), Value(now), function="timezone"), DateField())
    this_month = Cast(Func(Value("month"), local_today, function="date_trunc"), DateField())
    last_month = Cast(
        Func(Value("month"), Func(this_month, template="(%(expressions)s - interval '1 day')"), function="date_trunc"),
        DateField(),
    )
    return (
        MentorPair.objects.current()
        .filter(cycle__ends_on__gte=earliest)
        .alias(
            this_month=this_month,
            month_began=Func(
                F("cycle__program__time_zone"), this_month, template="timezone(%(expressions)s::timestamp)"
            ),
        )
        .annotate(month=last_month)
        .filter(
            Q(cycle__starts_on__lt=F("this_month")),
            Q(cycle__ends_on__gte=F("month")),
            published_at__lt=F("month_began"),
        )
        .alias(
            sent=Exists(
                FacultySummary.objects.filter(
                    faculty_mentor=OuterRef("faculty_mentor_id"), cycle=OuterRef("cycle_id"), month=OuterRef("month")
                )
            )
        )
        .filter(sent=False)
        .values_list("faculty_mentor_id", "cycle_id", "month")
        .distinct()
        .order_by("faculty_mentor_id", "cycle_id")
    )
