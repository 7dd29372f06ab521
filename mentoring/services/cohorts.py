"""Pairing the selected mentors (the solver in mentoring.pairing proposes, a coordinator
reviews and publishes) and placing first- and second-year students in cohorts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mentoring import notify, pairing
from mentoring.models import MENTEE_CLASS_YEARS, Application, Mentee, MentoringCycle, MentorPair
from mentoring.services import preferences
from peers.models import Membership, Role


def pairing_propose(
    *, cycle: MentoringCycle, md_phd: bool = False
) -> tuple[list[pairing.ProposedPair], list[pairing.Candidate]]:
    """The solver's proposal for the cycle's selected mentors not yet in a published pair
    (the MD/PhD peer mentors separately, with md_phd=True) and its faculty mentors."""
    published = MentorPair.objects.current().filter(cycle=cycle)  # a dissolved pair's mentors are free
    selected = (
        Application.objects.selected()
        .filter(cycle=cycle, is_md_phd=md_phd)
        .exclude(applicant__in=published.filter(third_year__isnull=False).values("third_year"))
        .exclude(applicant__in=published.filter(fourth_year__isnull=False).values("fourth_year"))
        .select_related("applicant", "interview")
    )
    communities = dict(
        Membership.objects.active()
        .filter(program=cycle.program_id, role=Role.TRAINEE)
        .values_list("user_id", "learning_community_id")
    )
    faculty = [
        pairing.Faculty(m.user_id, m.user.get_full_name(), m.learning_community_id)
        for m in Membership.objects.active()
        .filter(program=cycle.program_id, role=Role.FACULTY_MENTOR)
        .select_related("user")
    ]
    return pairing.propose(
        [_candidate(a, communities) for a in selected if a.entering_year == 3],
        [_candidate(a, communities) for a in selected if a.entering_year == 4],
        faculty,
    )


def _candidate(application: Application, communities: dict[int, int | None]) -> pairing.Candidate:
    interview = getattr(application, "interview", None)
    return pairing.Candidate(
        user_id=application.applicant_id,
        name=application.applicant.get_full_name(),
        learning_community_id=communities.get(application.applicant_id),
        experience=(interview.prior_experience if interview and interview.prior_experience else 3),
        preferred_partner_id=application.preferred_partner_id,
        avoid=application.avoided_ids,
    )


def pairing_save_proposal(*, cycle: MentoringCycle) -> int:
    """Replace the cycle's draft pairs (and the mentees placed in them) with the solver's
    proposal for the selected mentors who are in no published pair yet, for review: the
    regular pairs, then the MD/PhD pairs, who mentor all MD/PhD students. Published pairs,
    their mentees and their messages are never touched."""
    proposals = [(False, p) for p in pairing_propose(cycle=cycle)[0]]
    proposals += [(True, p) for p in pairing_propose(cycle=cycle, md_phd=True)[0]]
    if any(proposed.faculty is None for _, proposed in proposals):
        raise ValidationError("There are no faculty mentors in this program to assign pairs to.")
    with transaction.atomic():
        MentorPair.objects.filter(cycle=cycle, published_at__isnull=True).delete()
        for md_phd, proposed in proposals:
            MentorPair.objects.create(
                cycle=cycle,
                third_year_id=proposed.third.user_id,
                fourth_year_id=proposed.fourth.user_id,
                faculty_mentor_id=proposed.faculty.user_id,
                learning_community_id=proposed.third.learning_community_id,
                is_md_phd=md_phd,
                reasons="; ".join(proposed.reasons),
            )
    return len(proposals)


def pairing_publish(*, cycle: MentoringCycle) -> int:
    """Publish the reviewed pairs: every mentor, faculty mentor and mentee learns who their people are."""
    told = 0
    with transaction.atomic():
        pairs = list(
            MentorPair.objects.select_for_update(of=("self",))  # a seat may be empty: an outer join
            .filter(cycle=cycle, published_at__isnull=True)
            .select_related("cycle__program", "third_year", "fourth_year", "faculty_mentor")
        )
        for pair in pairs:
            pair.published_at = timezone.now()
            pair.save(update_fields=["published_at"])
            people = [*pair.mentors(), pair.faculty_mentor, *[m.user for m in pair.mentees.select_related("user")]]
            for person in people:
                notify.pairs_published(pair, person)
                told += 1
    return told


def cohorts_assign(*, cycle: MentoringCycle) -> int:
    """Give every first- and second-year student of the program a place they lack: a
    pair of their learning community, filling cohorts evenly (any regular pair if their
    community has none); and MD/PhD students, in addition, an MD/PhD pair. The students'
    wishes count (services.preferences), and a pair with someone they asked to avoid is
    used only when no other has a seat (the review page lists it). Places already held
    are kept. Deterministic. Returns the places made."""
    pairs = list(
        MentorPair.objects.filter(cycle=cycle, dissolved_at__isnull=True).annotate(size=Count("mentees")).order_by("pk")
    )  # a dissolved pair takes nobody new
    placed = set(Mentee.objects.filter(cycle=cycle).values_list("user_id", "md_phd"))
    students = list(
        Membership.objects.active()
        .filter(program=cycle.program_id, role=Role.TRAINEE, class_year__in=MENTEE_CLASS_YEARS)
        .order_by("user_id")
    )
    created = []
    for md_phd in (False, True):
        waiting = [s for s in students if (s.user_id, md_phd) not in placed and (s.is_md_phd or not md_phd)]
        waiting = list({s.user_id: s for s in waiting}.values())  # one seat each, whatever their memberships
        pool = [pair for pair in pairs if pair.is_md_phd == md_phd]
        for seat in preferences.cohort_placements(cycle=cycle, students=waiting, pairs=pool, md_phd=md_phd):
            created.append(Mentee(cycle=cycle, pair_id=seat.pair_id, user_id=seat.student.user_id, md_phd=md_phd))
    Mentee.objects.bulk_create(created)
    return len(created)
