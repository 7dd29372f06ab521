from django.db.models import Prefetch, Q

from mentoring.models import Contact, Mentee, MentorPair


def pairs_of_mentor(user):
    """Pairs in which `user` is a peer mentor or the faculty mentor, with their mentees."""
    return (
        MentorPair.objects.filter(Q(third_year=user) | Q(fourth_year=user) | Q(faculty_mentor=user))
        .select_related("cycle__program", "third_year", "fourth_year", "faculty_mentor", "learning_community")
        .prefetch_related(Prefetch("mentees", queryset=Mentee.objects.select_related("user").order_by("user__name")))
    )


def mentee_places(user):
    return Mentee.objects.filter(user=user).select_related(
        "pair__third_year", "pair__fourth_year", "pair__faculty_mentor", "cycle__program"
    )


def open_contacts_for(user):
    """Unanswered contacts of the pairs `user` mentors. Content only for the pair's mentors."""
    return (
        Contact.objects.filter(answered_at__isnull=True)
        .filter(Q(pair__third_year=user) | Q(pair__fourth_year=user) | Q(pair__faculty_mentor=user))
        .select_related("mentee__user", "pair")
        .order_by("due_at")
    )


def my_contacts(user):
    return Contact.objects.filter(mentee__user=user).select_related("answered_by").order_by("-received_at")[:20]


def open_cycle_for(user):
    """The current cycle of a program where `user` is a trainee (the newest one)."""
    from django.utils import timezone

    from mentoring.models import MentoringCycle
    from peers.models import Role
    from peers.selectors import program_ids_with_role

    return (
        MentoringCycle.objects.filter(
            program__in=program_ids_with_role(user, Role.TRAINEE), ends_on__gte=timezone.localdate()
        )
        .select_related("program")
        .order_by("-starts_on")
        .first()
    )


def cycle_figures(cycle) -> dict:
    """Per cycle: applications, interviews, selection, pairs and cohorts, duty compliance
    today, answered-on-time rate and escalations."""
    from django.db.models import Count, F
    from django.utils import timezone

    from mentoring import services
    from mentoring.models import Application, Contact, MentorPair

    applications = Application.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"),
        interviewed=Count("interview"),
        selected=Count("pk", filter=Q(status="selected")),
        waitlisted=Count("pk", filter=Q(status="waitlisted")),
    )
    pairs = list(MentorPair.objects.filter(cycle=cycle).select_related("cycle").prefetch_related("mentees"))
    sizes = [len(pair.mentees.all()) for pair in pairs]
    duties = list(services.duty_statuses(pairs, timezone.localdate()).values())
    contacts = Contact.objects.filter(pair__cycle=cycle).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=Q(answered_at__lte=F("due_at"))),
        escalated=Count("pk", filter=Q(mentors_alerted_at__isnull=False)),
        to_faculty=Count("pk", filter=Q(faculty_alerted_at__isnull=False)),
        to_coordinator=Count("pk", filter=Q(coordinator_alerted_at__isnull=False)),
    )

    def share(part: int, whole: int):
        return round(100 * part / whole) if whole else None

    return {
        "applications": applications,
        "pairs": len(pairs),
        "cohort_min": min(sizes, default=0),
        "cohort_max": max(sizes, default=0),
        "cohorts_outside": sum(1 for s in sizes if not 12 <= s <= 15),
        "met_rate": share(sum(1 for d in duties if d["met"]), len(duties)),
        "contacted_rate": share(sum(1 for d in duties if d["contacted"]), len(duties)),
        "contacts": contacts,
        "on_time_rate": share(contacts["on_time"], contacts["total"]),
    }


def cycle_compliance_rows(cycle) -> list[tuple]:
    """(pair, mentee, met this semester, contacted this month) for every mentee of the
    cycle, for the coordinators (fixed queries)."""
    from django.utils import timezone

    from mentoring import services

    pairs = list(
        MentorPair.objects.filter(cycle=cycle)
        .select_related("cycle", "third_year", "fourth_year")
        .prefetch_related(Prefetch("mentees", queryset=Mentee.objects.select_related("user").order_by("user__name")))
    )
    status = services.duty_statuses(pairs, timezone.localdate())
    return [
        (pair, mentee, status[mentee.pk]["met"], status[mentee.pk]["contacted"])
        for pair in pairs
        for mentee in pair.mentees.all()
    ]
