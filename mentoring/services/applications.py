"""Applications to be a peer mentor, interviews and the selection."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mentoring import notify
from mentoring.models import Application, Interview, MentoringCycle, MentorPair
from peers.models import Role, User

STUDENT_ROLES = (Role.TRAINEE, Role.PEER_MENTOR)  # who may be named as a partner or someone to avoid
DECIDED = (Application.Status.SELECTED, Application.Status.WAITLISTED, Application.Status.DECLINED)


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
    """Fill each entering year's open positions by total interview score (ties: the
    earlier application), waitlist the next ones, decline the rest, and tell each
    applicant whose status changed. Safe to run again after late interviews:

    1. Lock the cycle, so two runs never both see the same open positions.
    2. Per entering year, and separately for MD/PhD peer mentors (who come in addition
       to the per-year positions), count who is already selected: only the remaining
       positions are filled.
    3. Rank the undecided applications with a complete interview together with the
       waitlisted ones; a waitlisted applicant stays on the waitlist if not selected.

    Returns how many applications this run moved to each status."""
    counts = {str(status): 0 for status in DECIDED}
    with transaction.atomic():
        _lock(cycle)
        for year, md_phd in ((3, False), (3, True), (4, False), (4, True)):
            group = Application.objects.filter(cycle=cycle, entering_year=year, is_md_phd=md_phd)
            positions = _positions(cycle, year=year, md_phd=md_phd)
            ranking = (Application.Status.SUBMITTED, Application.Status.WAITLISTED)
            for application in _decide(group, positions, waitlist_size=waitlist_size, ranking=ranking):
                counts[application.status] += 1
    return counts


def application_withdraw(*, application: Application) -> Application | None:
    """The applicant gives up their place (or their place on the waitlist) before their
    pair is published:

    1. Lock the cycle (as a selection does) and re-read the application.
    2. Refuse once the applicant is in a published pair: re-pairing is the coordinator's.
    3. Mark it withdrawn; a freed place goes to the best of the waitlist, who is told.

    Returns the application that took the place, if any."""
    Status = Application.Status
    with transaction.atomic():
        _lock(application.cycle)
        application = Application.objects.select_related("cycle").get(pk=application.pk)
        if application.status not in (Status.SELECTED, Status.WAITLISTED):
            raise ValidationError("Only a selected or waitlisted application can be withdrawn.")
        if _in_published_pair(application):
            raise ValidationError("Your pair is already published: please write to your program's coordinator.")
        was, application.status = application.status, Status.WITHDRAWN
        application.save(update_fields=["status"])
        if was != Status.SELECTED:
            return None
        group = Application.objects.filter(
            cycle=application.cycle, entering_year=application.entering_year, is_md_phd=application.is_md_phd
        )
        positions = _positions(application.cycle, year=application.entering_year, md_phd=application.is_md_phd)
        taken = _decide(group, positions, waitlist_size=0, ranking=(Status.WAITLISTED,))
        return taken[0] if taken else None


def _in_published_pair(application: Application) -> bool:
    mentor = Q(third_year=application.applicant_id) | Q(fourth_year=application.applicant_id)
    return MentorPair.objects.published().filter(mentor, cycle=application.cycle_id).exists()


def _lock(cycle: MentoringCycle) -> None:
    """Selections and withdrawals of one cycle happen one at a time, so each sees the
    positions the other filled."""
    MentoringCycle.objects.select_for_update().filter(pk=cycle.pk).first()


def _positions(cycle: MentoringCycle, *, year: int, md_phd: bool) -> int:
    if md_phd:
        return cycle.positions_md_phd
    return cycle.positions_third_year if year == 3 else cycle.positions_fourth_year


def _decide(
    group: QuerySet[Application], positions: int, *, waitlist_size: int, ranking: tuple[str, ...]
) -> list[Application]:
    """Decide one group's applications of the `ranking` statuses (an entering year, MD/PhD
    apart) against the positions its selected ones leave open; returns (and tells) the
    ones that changed. The caller holds the cycle's lock, so the count stays true."""
    Status = Application.Status
    open_positions = max(positions - group.selected().count(), 0)
    changed = []
    for rank, application in enumerate(_ranked(group, *ranking)):
        was = application.status
        if rank < open_positions:
            application.status = Status.SELECTED
        elif rank < open_positions + waitlist_size or was == Status.WAITLISTED:
            application.status = Status.WAITLISTED
        else:
            application.status = Status.DECLINED
        if application.status != was:
            application.save(update_fields=["status"])
            notify.mentor_application(application)
            changed.append(application)
    return changed


def _ranked(group: QuerySet[Application], *statuses: str) -> list[Application]:
    """The group's applications of `statuses` with a complete interview, best first
    (ties: the earlier application), locked."""
    ranked = [
        a
        for a in group.select_for_update(of=("self",))
        .filter(status__in=statuses)
        .select_related("interview", "applicant", "cycle__program")
        if hasattr(a, "interview") and a.interview.total
    ]
    ranked.sort(key=lambda a: (-a.interview.total, a.submitted_at, a.pk))
    return ranked


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
