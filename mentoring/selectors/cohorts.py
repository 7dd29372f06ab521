"""Reads about cycles, pairs and cohorts."""

from django.db.models import QuerySet
from django.utils import timezone

from mentoring.access import mentored_by, published
from mentoring.models import Mentee, MentoringCycle, MentorPair
from peers.models import Membership, Role, User
from peers.selectors import program_ids_with_role


def pairs_of_mentor(*, user: User) -> QuerySet[MentorPair]:
    """Pairs in which `user` is a peer mentor or the faculty mentor, with their mentees
    (a dissolved pair is over; the contacts still waiting in it stay on its mentors' list)."""
    return MentorPair.objects.filter(mentored_by(user), dissolved_at__isnull=True).with_people()


def mentee_places(*, user: User) -> QuerySet[Mentee]:
    """Where `user` is a mentee, in published pairs only (the learning-community pair
    first, then an MD/PhD student's MD/PhD pair)."""
    return (
        Mentee.objects.filter(published("pair__"), user=user)
        .select_related(
            "pair__third_year", "pair__fourth_year", "pair__faculty_mentor", "pair__cycle__program", "cycle__program"
        )
        .order_by("-cycle__starts_on", "md_phd", "pk")
    )


def open_cycle_for(*, user: User) -> MentoringCycle | None:
    """The current cycle of a program where `user` is a trainee (the newest one)."""
    return (
        MentoringCycle.objects.filter(
            program__in=program_ids_with_role(user, Role.TRAINEE), ends_on__gte=timezone.localdate()
        )
        .select_related("program")
        .order_by("-starts_on")
        .first()
    )


def coordinators_of(*, program_id: int) -> QuerySet[User]:
    """The program's active coordinators, each once."""
    return User.objects.filter(
        memberships__in=Membership.objects.active().filter(program=program_id, role=Role.COORDINATOR)
    ).distinct()


def coordinators_by_program(*, program_ids: set[int]) -> dict[int, list[User]]:
    """`coordinators_of` for many programs in one query: each program's active
    coordinators, each once."""
    memberships = (
        Membership.objects.active()
        .filter(program__in=program_ids, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
    )
    by_program: dict[int, dict[int, User]] = {}
    for membership in memberships:
        by_program.setdefault(membership.program_id, {}).setdefault(membership.user_id, membership.user)
    return {program_id: list(people.values()) for program_id, people in by_program.items()}
