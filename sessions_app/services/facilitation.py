"""Co-facilitation: taking one of a session's two slots, stepping back, availability."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from peers.models import Role, TrainingKind, TrainingProgram, User
from sessions_app import access, notify, selectors
from sessions_app.models import Availability, Facilitation, Session, facilitation_span


def facilitation_add(*, session: Session, user: User, kind: str = Facilitation.Kind.FACILITATOR) -> Facilitation:
    """Make `user` one of the session's two co-facilitators.

    1. Check eligibility: an active facilitator (with current facilitator training) or
       wellness-advisor membership in the session's program.
    2. Lock the session, take the free slot (1 or 2).
    3. Save; the database refuses a third person, a second advisor and any overlap.
    """
    _check_can_facilitate(session=session, user=user, kind=kind)
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        taken = set(session.facilitations.values_list("slot", flat=True))
        free = [slot for slot in (1, 2) if slot not in taken]
        if not free:
            raise ValidationError("This session already has two co-facilitators.")
        facilitation = Facilitation(session=session, user=user, kind=kind, slot=free[0])
        facilitation.span = facilitation_span(user.pk, session.starts_at, session.ends_at)
        facilitation.full_clean()
        try:
            with transaction.atomic():
                facilitation.save()
        except IntegrityError:
            raise ValidationError("This person already facilitates a session at that time.") from None
    return facilitation


def _check_can_facilitate(*, session: Session, user: User, kind: str) -> None:
    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        raise ValidationError("Only upcoming, scheduled sessions take co-facilitators.")
    role = Role.WELLNESS_ADVISOR if kind == Facilitation.Kind.WELLNESS_ADVISOR else Role.FACILITATOR
    if not access.holds_role(user=user, program_id=session.program_id, roles=(role,)):
        raise ValidationError(f"{user} is not an active {Role(role).label.lower()} in {session.program}.")
    if role == Role.FACILITATOR and not any(
        record.is_current(_local_date(session))
        for record in user.training_records.filter(kind=TrainingKind.FACILITATOR)
    ):
        raise ValidationError(f"{user} has no current facilitator training on the session date.")


def _local_date(session: Session) -> datetime.date:
    return timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(session.program.time_zone)).date()


def facilitation_assign(*, session: Session, user: User, kind: str = Facilitation.Kind.FACILITATOR) -> Facilitation:
    """A coordinator makes `user` a co-facilitator (the admin); the person is told, with
    the session for their calendar."""
    facilitation = facilitation_add(session=session, user=user, kind=kind)
    notify.facilitation_assigned(facilitation)
    return facilitation


def withdraw_closes_at(session: Session) -> datetime.datetime:
    """Until when a co-facilitator can withdraw themselves (the program's cut-off)."""
    hours = session.program.session_settings.facilitator_withdraw_hours
    return session.starts_at - datetime.timedelta(hours=hours)


def facilitation_withdraw(*, facilitation: Facilitation) -> None:
    """A co-facilitator steps back themselves, until the program's cut-off; after it they
    are asked to tell the coordinator, who can remove them in the admin."""
    session = facilitation.session
    if timezone.now() >= withdraw_closes_at(session):
        hours = session.program.session_settings.facilitator_withdraw_hours
        raise ValidationError(
            f"It's less than {hours} hours before the session, so you can't withdraw here. "
            "Please ask your program coordinator: they can find someone to take your place."
        )
    _facilitation_end(facilitation=facilitation, removed=False)


def facilitation_remove(*, facilitation: Facilitation) -> None:
    """A coordinator removes a co-facilitator in the admin (at any time)."""
    _facilitation_end(facilitation=facilitation, removed=True)


def _facilitation_end(*, facilitation: Facilitation, removed: bool) -> None:
    """1. Lock the session (the slot count changes) and the facilitation; gone already: done.
    2. Delete it and clear the session's coverage alert, so the sweep checks it again.
    3. Tell the person who left (with a calendar cancellation), the co-facilitator, and the
       program's coordinators."""
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",)).select_related("program").get(pk=facilitation.session_id)
        )
        facilitation = (
            Facilitation.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=facilitation.pk)
            .first()
        )
        if facilitation is None:
            return
        facilitation.delete()
        Session.objects.filter(pk=session.pk).update(coverage_alert_sent_at=None)
        session.coverage_alert_sent_at = None
        remaining = list(Facilitation.objects.filter(session=session, active=True).select_related("user"))
        notify.facilitation_ended(session, facilitation, removed=removed)
        told = [f.user for f in remaining] + list(selectors.program_coordinators(session.program_id))
        for person in {p.pk: p for p in told if p.pk != facilitation.user_id}.values():
            notify.facilitator_left(session, facilitation, person, removed=removed, facilitators=len(remaining))


def availability_set(*, user: User, program: TrainingProgram, month: datetime.date, note: str) -> Availability:
    if not access.holds_role(user=user, program_id=program.pk, roles=selectors.FACILITATING):
        raise ValidationError(f"You are not a facilitator in {program}.")
    availability, _ = Availability.objects.update_or_create(
        user=user, program=program, month=month.replace(day=1), defaults={"note": note.strip()}
    )
    return availability
