"""Mentees' wishes for their cohort placement: a peer mentor they'd like, and mentors they
must not be placed with (a hard constraint of mentoring.placement, seen by coordinators
only). Placing the students of a cycle uses them."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mentoring import placement
from mentoring.models import MENTEE_CLASS_YEARS, Mentee, MenteePreference, MentoringCycle, MentorPair
from peers.models import Membership, Role, User

MENTOR_ROLES = (Role.TRAINEE, Role.PEER_MENTOR, Role.FACULTY_MENTOR)  # who may be named
AVOID_MAX = 10


def mentee_preference_save(*, cycle: MentoringCycle, user: User, preferred_mentor: str, avoid: str) -> MenteePreference:
    """Record (or replace) a first- or second-year student's wishes for the cycle, while
    they have no published learning-community place yet. Mentors are named by email and
    must be people of the program; an unknown email is refused, naming it."""
    if not _is_future_mentee(cycle, user):
        raise ValidationError("Only first- and second-year students of this program state mentoring preferences.")
    if Mentee.objects.filter(cycle=cycle, user=user, md_phd=False, pair__published_at__isnull=False).exists():
        raise ValidationError(
            "Your peer mentors are already chosen, so these wishes can no longer change your placement. "
            "If something is wrong, please write to the program office."
        )
    wanted = _people(cycle, [preferred_mentor]) if preferred_mentor.strip() else []
    avoided = _people(cycle, avoid.split(","))
    if len(avoided) > AVOID_MAX:
        raise ValidationError(f"Name at most {AVOID_MAX} people to avoid.")
    if wanted and wanted[0] in avoided:
        raise ValidationError("You named the same person as the mentor you'd like and someone to avoid.")
    with transaction.atomic():
        preference, _ = MenteePreference.objects.select_for_update().get_or_create(cycle=cycle, user=user)
        preference.preferred_mentor = wanted[0] if wanted else None
        preference.avoid_set(avoided)
        preference.save(update_fields=["preferred_mentor", "avoid_ids"])
    return preference


def _is_future_mentee(cycle: MentoringCycle, user: User) -> bool:
    return (
        Membership.objects.active()
        .filter(program=cycle.program_id, user=user, role=Role.TRAINEE, class_year__in=MENTEE_CLASS_YEARS)
        .exists()
    )


def _people(cycle: MentoringCycle, emails: list[str]) -> list[User]:
    emails = sorted({email.strip().lower() for email in emails if email.strip()})
    if not emails:
        return []
    people = list(
        User.objects.filter(
            email__in=emails, memberships__program=cycle.program_id, memberships__role__in=MENTOR_ROLES
        ).distinct()
    )
    unknown = sorted(set(emails) - {person.email.lower() for person in people})
    if unknown:
        raise ValidationError(f"We don't know {', '.join(unknown)} in {cycle.program}: check the spelling.")
    return people


def cohort_placements(
    *, cycle: MentoringCycle, students: list[Membership], pairs: list[MentorPair], md_phd: bool
) -> list[placement.Placement]:
    """The solver's seat for each student in `pairs` (annotated with their `size`), with
    the students' wishes. MD/PhD pairs mentor all MD/PhD students, whatever their
    learning community."""
    wishes = {
        p.user_id: p for p in MenteePreference.objects.filter(cycle=cycle, user__in=[s.user_id for s in students])
    }
    return placement.place(
        [_student(s, wishes.get(s.user_id), md_phd=md_phd) for s in students],
        [
            placement.Cohort(
                pair_id=pair.pk,
                learning_community_id=None if md_phd else pair.learning_community_id,
                peer_mentor_ids=frozenset((pair.third_year_id, pair.fourth_year_id)),
                faculty_mentor_id=pair.faculty_mentor_id,
                size=pair.size,
            )
            for pair in pairs
        ],
    )


def _student(member: Membership, wish: MenteePreference | None, *, md_phd: bool) -> placement.Student:
    return placement.Student(
        user_id=member.user_id,
        learning_community_id=None if md_phd else member.learning_community_id,
        preferred_mentor_id=wish.preferred_mentor_id if wish else None,
        avoid=wish.avoided_ids if wish else frozenset(),
    )
