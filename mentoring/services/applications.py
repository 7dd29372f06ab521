"""Applications to be a peer mentor, interviews and the selection."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mentoring import notify
from mentoring.models import Application, MentoringCycle, MentorPair
from mentoring.selectors import coordinators_of
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
    application.avoid_set(students.filter(email__in=avoided).distinct() if avoided else [])
    application.full_clean()
    application.save()
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
    """The applicant gives up their place, declines an offered one, or leaves the
    waitlist, before their pair is published:

    1. Lock the cycle (as a selection does) and re-read the application.
    2. Refuse once the applicant is in a published pair: re-pairing is the coordinator's.
    3. Mark it withdrawn and tell the program's coordinators (once: the status moves
       only once, and each notice has its dedupe key); a freed place is offered to the best of the waitlist, with an
       expiring offer (`place_offers_expire` moves it on if they do not answer).

    Returns the application offered the place, if any."""
    Status = Application.Status
    with transaction.atomic():
        _lock(application.cycle)
        application = Application.objects.select_related("cycle__program", "applicant").get(pk=application.pk)
        if application.status not in (Status.SELECTED, Status.WAITLISTED, Status.OFFERED):
            raise ValidationError("Only a selected or waitlisted application can be withdrawn.")
        if _in_published_pair(application):
            raise ValidationError("Your pair is already published: please write to your program's coordinator.")
        was, application.status = application.status, Status.WITHDRAWN
        application.save(update_fields=["status"])
        for coordinator in coordinators_of(program_id=application.cycle.program_id):
            notify.application_withdrawn(application, coordinator, was=was)
        return _offer_next(application) if was != Status.WAITLISTED else None


def application_offer_accept(*, application: Application) -> Application:
    """The applicant takes the place offered to them, before the offer expires.
    Accepting again (a double tap) returns the selected application."""
    Status = Application.Status
    with transaction.atomic():
        _lock(application.cycle)
        application = Application.objects.select_related("cycle__program").get(pk=application.pk)
        if application.status == Status.SELECTED:
            return application
        if application.status != Status.OFFERED or application.offer_expires_at <= timezone.now():
            raise ValidationError("This offer has expired and the place has gone to the next on the waitlist.")
        application.status = Status.SELECTED
        application.save(update_fields=["status"])
    notify.mentor_application(application)
    return application


def place_offers_expire() -> int:
    """Sweep: an offered place not accepted in time lapses and moves on to the next on
    the waitlist. Returns the offers that lapsed.

    1. Read the next expired offer's id through `mentor_offers_expiring` (no lock).
    2. Lock its cycle (the order selection and withdrawal take), then claim the offer:
       re-read it locked and still offered and expired; another sweep or the applicant's
       own answer may have got there first, and then there is nothing to do.
    3. Mark it lapsed, tell the applicant and the coordinators, offer the place to the next."""
    lapsed = 0
    while True:
        due = _next_expired_offer()
        if due is None:
            return lapsed
        with transaction.atomic():
            _lock(due.cycle)
            offer = (
                Application.objects.select_for_update()
                .filter(pk=due.pk, status=Application.Status.OFFERED, offer_expires_at__lte=timezone.now())
                .select_related("cycle__program", "applicant")
                .first()
            )
            if offer is None:
                continue
            offer.status = Application.Status.LAPSED
            offer.save(update_fields=["status"])
            notify.mentor_application(offer)
            for coordinator in coordinators_of(program_id=offer.cycle.program_id):
                notify.application_withdrawn(offer, coordinator, was="lapsed")
            _offer_next(offer)
            lapsed += 1


def _next_expired_offer() -> Application | None:
    offers = Application.objects.filter(status=Application.Status.OFFERED, offer_expires_at__lte=timezone.now())
    return offers.select_related("cycle").order_by("offer_expires_at").first()


def _offer_next(freed: Application) -> Application | None:
    """Offer the place `freed` held to the best of its group's waitlist, if the group has
    an open position (the caller holds the cycle's lock); the offer expires after the
    program's `place_offer_hours`."""
    group = Application.objects.filter(
        cycle=freed.cycle_id, entering_year=freed.entering_year, is_md_phd=freed.is_md_phd
    )
    positions = _positions(freed.cycle, year=freed.entering_year, md_phd=freed.is_md_phd)
    waiting = _ranked(group, Application.Status.WAITLISTED)
    if not waiting or group.holding_a_place().count() >= positions:
        return None
    hours = freed.cycle.program.mentoring_settings.place_offer_hours
    best = waiting[0]
    best.status, best.offer_expires_at = Application.Status.OFFERED, timezone.now() + datetime.timedelta(hours=hours)
    best.save(update_fields=["status", "offer_expires_at"])
    notify.mentor_application(best)
    return best


def _in_published_pair(application: Application) -> bool:
    mentor = Q(third_year=application.applicant_id) | Q(fourth_year=application.applicant_id)
    return MentorPair.objects.current().filter(mentor, cycle=application.cycle_id).exists()


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
    open_positions = max(positions - group.holding_a_place().count(), 0)
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
