"""The coordinators' figures for a cycle, in a fixed number of queries."""

from django.db.models import Count, F, Q
from django.utils import timezone

from mentoring.clock import program_today
from mentoring.models import (
    COHORT_MAX,
    COHORT_MIN,
    Application,
    Contact,
    MentoringCycle,
    MentorPair,
    cohort_size_is_usual,
)
from mentoring.selectors.duties import duty_statuses


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _application_counts(cycle: MentoringCycle) -> dict:
    return Application.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"),
        interviewed=Count("interview"),
        selected=Count("pk", filter=Q(status=Application.Status.SELECTED)),
        waitlisted=Count("pk", filter=Q(status=Application.Status.WAITLISTED)),
    )


def _contact_counts(cycle: MentoringCycle) -> dict:
    # On time is a share of the contacts whose deadline has passed: one not yet due may
    # still be answered on time, and counting it would lower the rate.
    now = timezone.now()
    return Contact.objects.filter(pair__cycle=cycle).aggregate(
        total=Count("pk"),
        due=Count("pk", filter=Q(due_at__lte=now)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=Q(due_at__lte=now, answered_at__lte=F("due_at"))),
        escalated=Count("pk", filter=Q(mentors_alerted_at__isnull=False)),
        to_faculty=Count("pk", filter=Q(faculty_alerted_at__isnull=False)),
        to_coordinator=Count("pk", filter=Q(coordinator_alerted_at__isnull=False)),
    )


def cycle_figures_page(*, cycle: MentoringCycle) -> tuple[dict, list[tuple]]:
    """The figures and the compliance rows of the coordinators' page, from one read of the
    cycle's pairs and their duties."""
    pairs, status, dissolved = _pairs_and_duties(cycle)
    return _figures(cycle, pairs, status, dissolved), _compliance_rows(pairs, status)


def cycle_figures(*, cycle: MentoringCycle) -> dict:
    """Per cycle: applications, interviews, selection, pairs and cohorts, duty compliance
    today, answered-on-time rate and escalations. Pairs and cohorts are the running ones
    (a dissolved pair, empty since its mentees moved, is counted apart, not as a cohort of 0)."""
    return _figures(cycle, *_pairs_and_duties(cycle))


def cycle_compliance_rows(*, cycle: MentoringCycle) -> list[tuple]:
    """(pair, mentee, met this semester, contacted this month) for every mentee of the
    cycle's running pairs, for the coordinators (fixed queries)."""
    pairs, status, _ = _pairs_and_duties(cycle)
    return _compliance_rows(pairs, status)


def _pairs_and_duties(cycle: MentoringCycle) -> tuple[list[MentorPair], dict, int]:
    """The running pairs, their mentees' duties, and how many pairs were dissolved; a
    draft proposal (not published) is still under review and counts nowhere."""
    every = list(MentorPair.objects.published().filter(cycle=cycle).with_people())
    pairs = [pair for pair in every if pair.dissolved_at is None]
    status = duty_statuses(pairs=pairs, today=program_today(cycle.program), zone=cycle.program.time_zone)
    return pairs, status, len(every) - len(pairs)


def _figures(cycle: MentoringCycle, pairs: list[MentorPair], status: dict, dissolved: int) -> dict:
    sizes = [len(pair.mentees.all()) for pair in pairs]
    duties = list(status.values())
    contacts = _contact_counts(cycle)
    return {
        "applications": _application_counts(cycle),
        "pairs": len(pairs),
        "pairs_dissolved": dissolved,
        "cohort_min": min(sizes, default=0),
        "cohort_max": max(sizes, default=0),
        "usual_cohort": (COHORT_MIN, COHORT_MAX),
        "cohorts_outside": sum(1 for size in sizes if not cohort_size_is_usual(size)),
        "met_rate": _share(sum(1 for d in duties if d["met"]), len(duties)),
        "contacted_rate": _share(sum(1 for d in duties if d["contacted"]), len(duties)),
        "contacts": contacts,
        "on_time_rate": _share(contacts["on_time"], contacts["due"]),
    }


def _compliance_rows(pairs: list[MentorPair], status: dict) -> list[tuple]:
    return [
        (pair, mentee, status[mentee.pk]["met"], status[mentee.pk]["contacted"])
        for pair in pairs
        for mentee in pair.mentees.all()
    ]
