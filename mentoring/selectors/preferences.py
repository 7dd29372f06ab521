"""Reads about mentees' wishes: their own, for their page; and for the coordinators'
review, the students placed with someone they asked to avoid."""

from mentoring.models import Mentee, MenteePreference, MentoringCycle
from peers.models import User


def preference_of(*, cycle: MentoringCycle, user: User) -> MenteePreference | None:
    """The student's own wishes, with the people they named (two queries)."""
    return (
        MenteePreference.objects.filter(cycle=cycle, user=user)
        .select_related("preferred_mentor")
        .prefetch_related("avoid")
        .first()
    )


def avoid_conflicts(*, cycle: MentoringCycle) -> list[str]:
    """For the coordinators only: each mentee of the cycle placed in a pair with someone
    they asked to avoid (the solver does so only when no other pair had a seat, or the
    wish came after the placement). Two queries."""
    avoided = MenteePreference.avoid.through.objects.filter(menteepreference__cycle=cycle).values_list(
        "menteepreference__user_id", "user_id"
    )
    wishes: dict[int, set[int]] = {}
    for mentee_id, person_id in avoided:
        wishes.setdefault(mentee_id, set()).add(person_id)
    if not wishes:
        return []
    places = (
        Mentee.objects.filter(cycle=cycle, user__in=list(wishes))
        .select_related("user", "pair__third_year", "pair__fourth_year", "pair__faculty_mentor")
        .order_by("user__name", "pk")
    )
    return [
        f"{place.user.get_full_name()} is in the cohort of {place.pair} with someone they asked to avoid "
        f"({', '.join(person.get_full_name() for person in _named(place, wishes[place.user_id]))}): "
        "no pair without them had a seat. Move them before publishing, or assign cohorts again."
        for place in places
        if _named(place, wishes[place.user_id])
    ]


def _named(place: Mentee, avoided: set[int]) -> list[User]:
    pair = place.pair
    return [person for person in (*pair.mentors(), pair.faculty_mentor) if person.pk in avoided]
