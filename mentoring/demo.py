"""Demo mentoring cycle: applications with interview scores, selection, the solver's
pairs and cohorts of first- and second-year students, a referral and a place offered
from the waitlist (invented). Idempotent."""

import datetime

from django.utils import timezone

from mentoring import services
from mentoring.models import (
    MENTEE_CLASS_YEARS,
    Application,
    DisclosureStatement,
    Interview,
    Mentee,
    MentoringCycle,
    MentorPair,
    MentorReferral,
)
from peers.models import Membership, Role, TrainingProgram, User


def seed_mentoring_demo(stdout) -> None:
    program = TrainingProgram.objects.filter(name="MD Program").first()
    if program is None or MentoringCycle.objects.filter(program=program).exists():
        return
    year = timezone.localdate().year if timezone.localdate().month >= 7 else timezone.localdate().year - 1
    cycle = MentoringCycle.objects.create(
        program=program,
        name=f"{year}-{year + 1}",
        starts_on=datetime.date(year, 7, 1),
        ends_on=datetime.date(year + 1, 6, 30),
        applications_open_on=datetime.date(year, 7, 1),
        applications_close_on=datetime.date(year + 1, 3, 31),
        interviews_from=datetime.date(year, 8, 1),
        interviews_to=datetime.date(year, 8, 31),
        fall_starts_on=datetime.date(year, 9, 1),
        fall_ends_on=datetime.date(year, 12, 18),
        spring_starts_on=datetime.date(year + 1, 1, 5),
        spring_ends_on=datetime.date(year + 1, 4, 30),
        positions_third_year=10,
        positions_fourth_year=10,
    )
    applicants = {
        3: list(User.objects.filter(email__startswith="md3.").order_by("email")[:12]),
        4: [
            User.objects.get(email__startswith="mentor@"),
            *User.objects.filter(email__startswith="md4.").order_by("email")[:11],
        ],
    }
    for entering_year, people in applicants.items():
        for rank, person in enumerate(people):
            application = Application.objects.create(
                cycle=cycle,
                applicant=person,
                entering_year=entering_year,
                motivation="Someone did this for me in first year.",
            )
            score = 5 - rank // 4
            Interview.objects.create(
                application=application,
                understanding=score,
                prior_experience=max(1, score - 1),
                dedication=score,
                professionalism=5,
            )
    services.applications_select(cycle=cycle)
    # A selected third-year could not take the place: it is offered to the best of the waitlist.
    leaving = Application.objects.selected().filter(cycle=cycle, entering_year=3).order_by("-pk").first()
    services.application_withdraw(application=leaving)
    services.pairing_save_proposal(cycle=cycle)
    pairs = list(MentorPair.objects.filter(cycle=cycle).order_by("pk"))
    students = list(
        Membership.objects.filter(program=program, role=Role.TRAINEE, class_year__in=MENTEE_CLASS_YEARS)
        .exclude(user__email__startswith="trainee@")
        .order_by("learning_community_id", "user__email")
        .values_list("user_id", flat=True)[: 13 * len(pairs) - 1]
    )
    students.append(User.objects.get(email__startswith="trainee@").pk)
    Mentee.objects.bulk_create(
        [Mentee(cycle=cycle, pair=pairs[n % len(pairs)], user_id=user_id) for n, user_id in enumerate(students)]
    )
    MentorPair.objects.filter(cycle=cycle).update(published_at=timezone.now())  # the demo starts published
    DisclosureStatement.objects.create(
        program=program,
        version=1,
        published_on=datetime.date(year, 7, 1),
        text="What mentees tell you stays between you, your partner and, where the program requires it, your "
        "faculty mentor. You are a peer, not a clinician: refer situations beyond the relationship to your "
        "faculty mentor or the program office. Mentee information is used only for mentoring.",
    )
    _demo_referral(cycle)
    stdout.write(f"Mentoring demo: {len(pairs)} pairs with cohorts of about 13.")


def _demo_referral(cycle: MentoringCycle) -> None:
    """The demo mentor's referral, waiting for their faculty mentor to acknowledge it."""
    mentor = User.objects.get(email__startswith="mentor@")
    pair = MentorPair.objects.filter(cycle=cycle).of_peer_mentor(mentor).first()
    if pair is not None:
        MentorReferral.objects.create(
            pair=pair,
            mentor=mentor,
            to=MentorReferral.To.FACULTY,
            category=MentorReferral.Category.ACADEMIC,
            note="Worried about the anatomy exam and not sleeping; I suggested the learning specialist.",
            mentee=pair.mentees.order_by("pk").first(),
        )
