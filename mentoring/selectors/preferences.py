"""Reads about mentees' wishes: their own, for their page; and for the coordinators'
review, the students placed with someone they asked to avoid."""

from mentoring.models import Mentee, MenteePreference, MentoringCycle
from mentoring.models.avoid import avoid_ids_parse
from peers.models import User


def preference_of(*, cycle: MentoringCycle, user: User) -> MenteePreference | None:
    """The student's own wishes, with the people they asked to avoid as `avoided` (two
    queries)."""
    preference = MenteePreference.objects.filter(cycle=cycle, user=user).select_related("preferred_mentor").first()
    if preference is not None:
        ids = preference.avoided_ids
        preference.avoided = list(User.objects.filter(pk__in=ids).order_by("email")) if ids else []
    return preference


def avoid_conflicts(*, cycle: MentoringCycle) -> list[str]:
    """For the coordinators only: each mentee of the cycle placed in a pair with someone
    they asked to avoid (the solver does so only when no other pair had a seat, or the
    wish came after the placement). Two queries; the lists are decrypted here, as the
    database cannot read them."""
    stored = MenteePreference.objects.filter(cycle=cycle, avoid_ids__isnull=False).values_list("user_id", "avoid_ids")
    wishes = {mentee_id: avoid_ids_parse(ids) for mentee_id, ids in stored}
    wishes = {mentee_id: ids for mentee_id, ids in wishes.items() if ids}
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
