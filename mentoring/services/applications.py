"""Applications to be a peer mentor, interviews and the selection."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring import notify
from mentoring.models import Application, Interview, MentoringCycle
from peers.models import Role, User

STUDENT_ROLES = (Role.TRAINEE, Role.PEER_MENTOR)  # who may be named as a partner or someone to avoid


def application_submit(
    *,
    cycle: MentoringCycle,
    applicant: User,
    entering_year: int,
    is_md_phd: bool,
    motivation: str,
    experience: str = "",
    preferred_partner: str = "",
    avoid: str = "",
) -> Application:
    """Apply for the cycle. Preferred partner and people to avoid are given by email and
    must be students of the program; they feed the pairing solver."""
    if not cycle.accepts_applications(timezone.localdate()):
        raise ValidationError("Applications for this cycle are not open right now.")
    if Application.objects.filter(cycle=cycle, applicant=applicant).exists():
        raise ValidationError("You have already applied for this cycle.")
    students = User.objects.filter(memberships__program=cycle.program_id, memberships__role__in=STUDENT_ROLES)
    partner = None
    if preferred_partner:
        partner = students.filter(email__iexact=preferred_partner.strip()).first()
        if partner is None:
            raise ValidationError(f"{preferred_partner} is not a student of {cycle.program}.")
    avoided = [email.strip().lower() for email in avoid.split(",") if email.strip()]
    application = Application(
        cycle=cycle,
        applicant=applicant,
        entering_year=entering_year,
        is_md_phd=is_md_phd,
        motivation=motivation.strip(),
        experience=experience.strip(),
        preferred_partner=partner,
    )
    application.full_clean()
    application.save()
    application.avoid.set(students.filter(email__in=avoided).distinct())
    return application


def applications_select(*, cycle: MentoringCycle, waitlist_size: int = 5) -> dict[str, int]:
    """Select up to the positions of each entering year by total interview score (ties:
    the earlier application), waitlist the next ones, decline the rest, and tell everyone.
    Applications without a complete interview are not decided."""
    Status = Application.Status
    counts = {Status.SELECTED: 0, Status.WAITLISTED: 0, Status.DECLINED: 0}
    with transaction.atomic():
        for year, positions in ((3, cycle.positions_third_year), (4, cycle.positions_fourth_year)):
            for rank, application in enumerate(_scored(cycle, year)):
                if rank < positions:
                    application.status = Status.SELECTED
                elif rank < positions + waitlist_size:
                    application.status = Status.WAITLISTED
                else:
                    application.status = Status.DECLINED
                application.save(update_fields=["status"])
                counts[application.status] += 1
                notify.mentor_application(application)
    return {str(status): count for status, count in counts.items()}


def _scored(cycle: MentoringCycle, year: int) -> list[Application]:
    """The undecided applications of an entering year with a complete interview, best
    first, locked."""
    scored = [
        a
        for a in Application.objects.select_for_update(of=("self",))
        .undecided()
        .filter(cycle=cycle, entering_year=year)
        .select_related("interview", "applicant")
        if hasattr(a, "interview") and a.interview.total
    ]
    scored.sort(key=lambda a: (-a.interview.total, a.submitted_at, a.pk))
    return scored


def interview_score(
    *, interview: Interview, by: User, understanding: int, prior_experience: int, dedication: int, professionalism: int
) -> None:
    """The interviewer (a faculty mentor or coordinator assigned to it) records the four scores."""
    if interview.interviewer_id != by.pk:
        raise ValidationError("Only the assigned interviewer scores this interview.")
    if interview.application.status != Application.Status.SUBMITTED:
        raise ValidationError("This application has already been decided.")
    interview.understanding, interview.prior_experience = understanding, prior_experience
    interview.dedication, interview.professionalism = dedication, professionalism
    interview.full_clean()
    interview.save(update_fields=["understanding", "prior_experience", "dedication", "professionalism"])
