"""A coordinator's changes to a session: edits, and cancelling it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from peers.models import User
from sessions_app import notify
from sessions_app.models import Booking, Facilitation, Session, SessionSeries, WaitlistEntry, facilitation_span
from sessions_app.services.waitlist import session_offer_free_seats

CALENDAR_FIELDS = ("starts_at", "ends_at", "location", "modality", "join_link")
# What a session takes from its series (time, duration, format, room, link): set on the
# session by hand, a field is recorded in `changed_by_hand` and a series edit keeps it.
SERIES_FIELDS = ("starts_at", "ends_at", "modality", "location", "join_link")
EDITABLE_FIELDS = (
    "program",
    "series",
    "topic",
    "starts_at",
    "ends_at",
    "round_date",
    "group_number",
    "modality",
    "location",
    "join_link",
    "capacity",
    "booking_closes_hours",
    "changed_by_hand",
)
SWEEP_STAMPS = ("reminders_sent_at", "attendance_requested_at", "feedback_requested_at", "coverage_alert_sent_at")


def session_cancel(*, session: Session) -> int:
    """Cancel a session: release its facilitators, cancel its bookings and waitlist, and
    tell everyone booked or waiting. Returns how many people were told."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == Session.Status.CANCELLED:
            return 0
        now = timezone.now()
        session.status, session.cancelled_at, session.seats_taken = Session.Status.CANCELLED, now, 0
        session.save(update_fields=["status", "cancelled_at", "seats_taken"])
        facilitators = list(User.objects.filter(facilitations__session=session, facilitations__active=True))
        Facilitation.objects.filter(session=session).update(active=False)
        booked = list(
            User.objects.filter(session_bookings__session=session, session_bookings__status=Booking.Status.BOOKED)
        )
        waiting = list(
            User.objects.filter(session_waitlists__session=session, session_waitlists__status__in=WaitlistEntry.OPEN)
        )
        Booking.objects.filter(session=session, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED, cancelled_at=now
        )
        WaitlistEntry.objects.filter(session=session, status__in=WaitlistEntry.OPEN).update(
            status=WaitlistEntry.Status.LEFT
        )
        for user in booked + waiting:
            notify.session_cancelled(session, user, facilitating=False)
        for user in facilitators:
            notify.session_cancelled(session, user, facilitating=True)
        return len(booked) + len(waiting)


def session_update_problems(
    *,
    session: Session,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    group_number: int | None,
    series: SessionSeries | None,
) -> list[str]:
    """What the database would refuse about a change, said in words (for the admin form)."""
    problems = []
    if (
        series is not None
        and group_number
        and Session.objects.filter(series=series, round_date=session.round_date, group_number=group_number)
        .exclude(pk=session.pk)
        .exists()
    ):
        problems.append(f"Group {group_number} already exists in this round of the series.")
    if session.pk:
        for facilitation in session.facilitations.filter(active=True).select_related("user"):
            clash = (
                Facilitation.objects.filter(user=facilitation.user, active=True)
                .exclude(session=session)
                .filter(session__starts_at__lt=ends_at, session__ends_at__gt=starts_at)
            )
            if clash.exists():
                problems.append(f"{facilitation.user} co-facilitates another session at that time.")
    return problems


def session_update(*, session: Session, changed: list[str]) -> tuple[int, int]:
    """Save a coordinator's edit without touching the seat count, then follow it up:
    move facilitators' spans, re-arm the time-based sweeps if the time moved, send the
    updated calendar entry, and offer any new seats to the waitlist.
    Returns (people told, seats offered)."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        _check_capacity(session=session, seats_taken=locked.seats_taken)
        fields = list(EDITABLE_FIELDS)  # never seats_taken or status: those change only through services
        if session.series_id:
            session.changed_by_hand = sorted(set(locked.changed_by_hand) | (set(changed) & set(SERIES_FIELDS)))
        if "starts_at" in changed or "ends_at" in changed:
            for stamp in SWEEP_STAMPS:
                setattr(session, stamp, None)
            fields += SWEEP_STAMPS
        session.save(update_fields=fields)
        session_facilitations_refresh(session=session)
    told = session_changed_notify(session=session, changed=changed)
    offered = session_offer_free_seats(session=session) if "capacity" in changed else 0
    return told, offered


def _check_capacity(*, session: Session, seats_taken: int) -> None:
    """The form checked the capacity against the seats it saw; a booking may have come
    in since. Under the row lock the count is current, so a lower capacity is refused in
    words here rather than by the CHECK as a database error."""
    if session.capacity < seats_taken:
        raise ValidationError(
            f"{seats_taken} seats are already taken; the capacity can't be lower than that. Nothing was changed.",
            code="capacity_below_seats",
        )


def session_changed_notify(*, session: Session, changed: list[str]) -> int:
    """After a coordinator changes when or where a session is, send everyone booked and
    the facilitators an updated calendar file. Returns how many were told."""
    if not set(changed) & set(CALENDAR_FIELDS) or session.status != Session.Status.SCHEDULED:
        return 0
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.sequence += 1
        session.save(update_fields=["sequence"])
        people = list(
            User.objects.filter(
                Q(session_bookings__session=session, session_bookings__status=Booking.Status.BOOKED)
                | Q(facilitations__session=session, facilitations__active=True)
            ).distinct()
        )
        for user in people:
            notify.session_changed(session, user)
    return len(people)


def session_facilitations_refresh(*, session: Session) -> None:
    """After a session's time changes, move its facilitators' spans with it."""
    for facilitation in session.facilitations.all():
        facilitation.span = facilitation_span(facilitation.user_id, session.starts_at, session.ends_at)
        facilitation.save(update_fields=["span"])
