"""The sessions app's notifications, one function per kind. Words live in
templates/notifications/<kind>.*; every time is shown in the recipient's zone. Calendar
entries travel as .ics attachments and, like the messages, never name other attendees."""

from django.urls import reverse
from django.utils import timezone

from peers.models import User
from peers.services.notifications import Attachment, notification_create
from sessions_app import calendar as ics
from sessions_app.models import Booking, Facilitation, Session, WaitlistEntry

ICS_NAME = "peers-session.ics"


def _send(
    *,
    recipient: User,
    session: Session,
    kind: str,
    dedupe_key: str,
    context: dict | None = None,
    link: str = "",
    calendar: str | None = None,
) -> None:
    """Every sessions notification: the template is named after the kind, the link
    defaults to the session's page, and a calendar entry rides along when given."""
    notification_create(
        recipient=recipient,
        kind=kind,
        dedupe_key=dedupe_key,
        template=kind,
        program=session.program,
        context={"session": session, **(context or {})},
        link=link or reverse("sessions:detail", args=[session.pk]),
        attachments=[Attachment(ICS_NAME, calendar, "text/calendar")] if calendar else None,
    )


def booking_confirmed(booking: Booking) -> None:
    _send(
        recipient=booking.user,
        session=booking.session,
        kind="booking_confirmed",
        dedupe_key=f"booking-confirmed:{booking.pk}",
        calendar=ics.session_ics(booking.session),
    )


def booking_cancelled(booking: Booking) -> None:
    _send(
        recipient=booking.user,
        session=booking.session,
        kind="booking_cancelled",
        dedupe_key=f"booking-cancelled:{booking.pk}",
        calendar=ics.session_ics(booking.session, cancelled=True),
    )


def booking_switched(booking: Booking, old: Session) -> None:
    """The trainee's seat moved to another group of the round: the new group's calendar
    entry, and the old group's entry cancelled, so the calendar shows one session."""
    session = booking.session
    notification_create(
        recipient=booking.user,
        kind="booking_switched",
        dedupe_key=f"booking-switched:{booking.pk}:{old.pk}:{session.pk}:{timezone.now().timestamp()}",
        template="booking_switched",
        program=session.program,
        context={"session": session, "old": old},
        link=reverse("sessions:detail", args=[session.pk]),
        attachments=[
            Attachment(ICS_NAME, ics.session_ics(session), "text/calendar"),
            Attachment("peers-session-cancelled.ics", ics.session_ics(old, cancelled=True), "text/calendar"),
        ],
    )


def waitlist_offer(entry: WaitlistEntry) -> None:
    """A freed seat is held for the first person waiting until the offer expires."""
    _send(
        recipient=entry.user,
        session=entry.session,
        kind="waitlist_offer",
        dedupe_key=f"waitlist-offer:{entry.pk}",
        context={"entry": entry},
    )


def session_cancelled(session: Session, person: User, *, facilitating: bool) -> None:
    """To everyone booked or waiting, and to the facilitators released from it."""
    _send(
        recipient=person,
        session=session,
        kind="session_cancelled",
        dedupe_key=f"session-cancelled:{session.pk}:{person.pk}",
        context={"facilitating": facilitating},
        calendar=ics.session_ics(session, cancelled=True),
    )


def session_changed(session: Session, person: User) -> None:
    """The new time or place, with the updated calendar entry (one per revision)."""
    _send(
        recipient=person,
        session=session,
        kind="session_changed",
        dedupe_key=f"session-changed:{session.pk}:{session.sequence}:{person.pk}",
        calendar=ics.session_ics(session),
    )


def session_reminder(session: Session, person: User, *, facilitating: bool) -> None:
    _send(
        recipient=person,
        session=session,
        kind="session_reminder",
        dedupe_key=f"session-reminder:{session.pk}:{person.pk}",
        context={"facilitating": facilitating},
    )


def attendance_request(facilitation: Facilitation) -> None:
    session = facilitation.session
    _send(
        recipient=facilitation.user,
        session=session,
        kind="attendance_request",
        dedupe_key=f"attendance:{session.pk}:{facilitation.user_id}",
        link=reverse("sessions:attendance", args=[session.pk]),
    )


def feedback_request(booking: Booking) -> None:
    _send(
        recipient=booking.user,
        session=booking.session,
        kind="feedback_request",
        dedupe_key=f"feedback:{booking.pk}",
        link=reverse("sessions:feedback", args=[booking.pk]),
    )


def coverage_alert(session: Session, coordinator: User, *, facilitators: int) -> None:
    """Tell a coordinator that a session within the week is short of co-facilitators."""
    _send(
        recipient=coordinator,
        session=session,
        kind="coverage_alert",
        dedupe_key=f"coverage:{session.pk}:{coordinator.pk}",
        context={"facilitators": facilitators},
        link=reverse("admin:sessions_app_session_change", args=[session.pk]),
    )
