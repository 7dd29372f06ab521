"""The sessions app's notifications, one function per kind. Words live in
templates/notifications/<kind>.*; every time is shown in the recipient's zone. Calendar
entries travel as .ics attachments and, like the messages, never name other attendees."""

import hashlib

from django.urls import reverse
from django.utils import timezone

from peers.models import User
from peers.services.notifications import Attachment, NotificationDraft, notification_create, notifications_create_many
from sessions_app import calendar as ics
from sessions_app.models import Booking, Facilitation, Session, SessionSeries, WaitlistEntry

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
    draft = _draft(
        recipient=recipient,
        session=session,
        kind=kind,
        dedupe_key=dedupe_key,
        context=context,
        link=link,
        calendar=calendar,
    )
    notification_create(**vars(draft))


def _draft(
    *,
    recipient: User,
    session: Session,
    kind: str,
    dedupe_key: str,
    context: dict | None = None,
    link: str = "",
    calendar: str | None = None,
) -> NotificationDraft:
    return NotificationDraft(
        recipient=recipient,
        kind=kind,
        dedupe_key=dedupe_key,
        template=kind,
        program=session.program,
        context={"session": session, **(context or {})},
        link=link or reverse("sessions:detail", args=[session.pk]),
        attachments=[Attachment(ICS_NAME, calendar, "text/calendar")] if calendar else None,
    )


def _role(facilitating: bool) -> str:
    return ics.FACILITATING if facilitating else ics.BOOKED


def booking_confirmed(booking: Booking) -> None:
    _send(
        recipient=booking.user,
        session=booking.session,
        kind="booking_confirmed",
        dedupe_key=f"booking-confirmed:{booking.pk}",
        calendar=ics.session_ics(booking.session, user_id=booking.user_id),
    )


def booking_cancelled(booking: Booking) -> None:
    _send(
        recipient=booking.user,
        session=booking.session,
        kind="booking_cancelled",
        dedupe_key=f"booking-cancelled:{booking.pk}",
        calendar=ics.session_ics(booking.session, user_id=booking.user_id, cancelled=True),
    )


def booking_made_for(booking: Booking) -> None:
    """A coordinator booked the trainee a seat."""
    _send(
        recipient=booking.user,
        session=booking.session,
        kind="booking_made_for",
        dedupe_key=f"booking-made-for:{booking.pk}",
        calendar=ics.session_ics(booking.session, user_id=booking.user_id),
    )


def booking_removed(booking: Booking) -> None:
    """A coordinator removed the trainee's booking; the calendar entry is cancelled."""
    _send(
        recipient=booking.user,
        session=booking.session,
        kind="booking_removed",
        dedupe_key=f"booking-removed:{booking.pk}",
        calendar=ics.session_ics(booking.session, user_id=booking.user_id, cancelled=True),
    )


def booking_moved(booking: Booking, old: Session) -> None:
    """A coordinator moved the trainee's seat to another group or session: the new
    calendar entry, and the old one cancelled, so the calendar shows one session."""
    _moved(booking, old, kind="booking_moved")


def waitlist_promoted(booking: Booking, old: Session | None) -> None:
    """A coordinator booked the trainee in from the waitlist (moving them from another
    group of the round when they had a seat there)."""
    _moved(booking, old, kind="waitlist_promoted")


def _moved(booking: Booking, old: Session | None, *, kind: str) -> None:
    session = booking.session
    attachments = [Attachment(ICS_NAME, ics.session_ics(session, user_id=booking.user_id), "text/calendar")]
    if old is not None:
        cancelled = ics.session_ics(old, user_id=booking.user_id, cancelled=True)
        attachments.append(Attachment("peers-session-cancelled.ics", cancelled, "text/calendar"))
    notification_create(
        recipient=booking.user,
        kind=kind,
        dedupe_key=f"{kind}:{booking.pk}:{old.pk if old else 0}:{session.pk}:{timezone.now().timestamp()}",
        template=kind,
        program=session.program,
        context={"session": session, "old": old},
        link=reverse("sessions:detail", args=[session.pk]),
        attachments=attachments,
    )


def session_message(session: Session, recipients: list[User], *, subject: str, text: str, digest: str) -> int:
    """A coordinator's message to a session's booked trainees: one row per recipient (none
    sees the others), keyed by the message's digest so a repeat sends nothing. Returns
    how many were new."""
    drafts = [
        _draft(
            recipient=recipient,
            session=session,
            kind="session_message",
            dedupe_key=f"session-message:{digest}:{recipient.pk}",
            context={"message_subject": subject, "text": text},
        )
        for recipient in recipients
    ]
    return notifications_create_many(drafts)


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
            Attachment(ICS_NAME, ics.session_ics(session, user_id=booking.user_id), "text/calendar"),
            Attachment(
                "peers-session-cancelled.ics",
                ics.session_ics(old, user_id=booking.user_id, cancelled=True),
                "text/calendar",
            ),
        ],
    )


def waitlist_offer(entry: WaitlistEntry) -> None:
    """A freed seat is held for the first person waiting until the offer expires."""
    notification_create(**vars(_waitlist_offer_draft(entry)))


def waitlist_offers(entries: list[WaitlistEntry]) -> int:
    """`waitlist_offer` for a sweep's batch, created together (`notifications_create_many`)."""
    return notifications_create_many([_waitlist_offer_draft(entry) for entry in entries])


def _waitlist_offer_draft(entry: WaitlistEntry) -> NotificationDraft:
    return _draft(
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
        calendar=ics.session_ics(session, user_id=person.pk, role=_role(facilitating), cancelled=True),
    )


def session_changed(session: Session, person: User) -> None:
    """The new time or place, with the updated calendar entry (one per revision)."""
    facilitating = Facilitation.objects.filter(session=session, user=person, active=True).exists()
    _send(
        recipient=person,
        session=session,
        kind="session_changed",
        dedupe_key=f"session-changed:{session.pk}:{session.sequence}:{person.pk}",
        calendar=ics.session_ics(session, user_id=person.pk, role=_role(facilitating), bump=False),
    )


def series_changed(series: SessionSeries, person: User, sessions: list[Session]) -> None:
    """A coordinator's edit of a series moved or changed some of this person's sessions:
    one message for the whole edit, with each session's updated calendar entry (same UID,
    higher SEQUENCE). The key names each session's revision, so one edit is told once."""
    revisions = hashlib.sha256(" ".join(f"{s.pk}.{s.sequence}" for s in sessions).encode()).hexdigest()[:24]
    facilitating = set(
        Facilitation.objects.filter(session__in=sessions, user=person, active=True).values_list("session", flat=True)
    )
    notification_create(
        recipient=person,
        kind="series_changed",
        dedupe_key=f"series-changed:{series.pk}:{person.pk}:{revisions}",
        template="series_changed",
        program=series.program,
        context={"sessions": sessions, "facilitating": facilitating},
        link=reverse("sessions:mine"),
        attachments=[
            Attachment(
                f"peers-session-{number}.ics",
                ics.session_ics(session, user_id=person.pk, role=_role(session.pk in facilitating), bump=False),
                "text/calendar",
            )
            for number, session in enumerate(sessions, start=1)
        ],
    )


def session_reminder(session: Session, person: User, *, facilitating: bool) -> None:
    notification_create(**vars(_reminder(session, person, facilitating)))


def session_reminders(people: list[tuple[Session, User, bool]]) -> None:
    """The reminders of a batch of sessions, (session, person, facilitating) each, created
    together (a fixed number of queries however many people are booked)."""
    notifications_create_many([_reminder(*each) for each in people])


def _reminder(session: Session, person: User, facilitating: bool) -> NotificationDraft:
    # Keyed by the start: a session moved after its reminder went is reminded again, once.
    return _draft(
        recipient=person,
        session=session,
        kind="session_reminder",
        dedupe_key=f"session-reminder:{session.pk}:{person.pk}:{session.starts_at:%Y%m%dT%H%M}",
        context={"facilitating": facilitating},
    )


def attendance_request(facilitation: Facilitation) -> None:
    notification_create(**vars(_attendance_request(facilitation)))


def attendance_requests(facilitations: list[Facilitation]) -> None:
    """Ask each co-facilitator to take attendance (their session already loaded)."""
    notifications_create_many([_attendance_request(facilitation) for facilitation in facilitations])


def _attendance_request(facilitation: Facilitation) -> NotificationDraft:
    return _draft(
        recipient=facilitation.user,
        session=facilitation.session,
        kind="attendance_request",
        dedupe_key=f"attendance:{facilitation.session_id}:{facilitation.user_id}",
        link=reverse("sessions:attendance", args=[facilitation.session_id]),
    )


def feedback_request(booking: Booking) -> None:
    notification_create(**vars(_feedback_request(booking)))


def feedback_requests(bookings: list[Booking]) -> None:
    """Ask each attendee for feedback (their session already loaded)."""
    notifications_create_many([_feedback_request(booking) for booking in bookings])


def _feedback_request(booking: Booking) -> NotificationDraft:
    return _draft(
        recipient=booking.user,
        session=booking.session,
        kind="feedback_request",
        dedupe_key=f"feedback:{booking.pk}",
        link=reverse("sessions:feedback", args=[booking.pk]),
    )


def facilitation_assigned(facilitation: Facilitation) -> None:
    """A coordinator made this person a co-facilitator, with the session for their calendar."""
    session = facilitation.session
    _send(
        recipient=facilitation.user,
        session=session,
        kind="facilitation_assigned",
        dedupe_key=f"facilitation-assigned:{facilitation.pk}",
        context={"facilitation": facilitation},
        calendar=ics.session_ics(session, user_id=facilitation.user_id, role=ics.FACILITATING),
    )


def facilitation_ended(session: Session, facilitation: Facilitation, *, removed: bool) -> None:
    """To the person who withdrew or was removed: the calendar entry is cancelled."""
    _send(
        recipient=facilitation.user,
        session=session,
        kind="facilitation_ended",
        dedupe_key=f"facilitation-ended:{facilitation.pk}",
        context={"removed": removed},
        calendar=ics.session_ics(session, user_id=facilitation.user_id, role=ics.FACILITATING, cancelled=True),
    )


def facilitator_left(
    session: Session, facilitation: Facilitation, person: User, *, removed: bool, facilitators: int
) -> None:
    """To the co-facilitator and the coordinators: a co-facilitator withdrew or was removed."""
    _send(
        recipient=person,
        session=session,
        kind="facilitator_left",
        dedupe_key=f"facilitator-left:{facilitation.pk}:{person.pk}",
        context={"left": facilitation.user, "removed": removed, "facilitators": facilitators},
    )


def coverage_alert(session: Session, coordinator: User, *, facilitators: int) -> None:
    notification_create(**vars(_coverage_alert(session, coordinator, facilitators)))


def coverage_alerts(alerts: list[tuple[Session, User, int]]) -> None:
    """Tell each coordinator that a session within the week is short of co-facilitators:
    (session, coordinator, active facilitators) each, created together."""
    notifications_create_many([_coverage_alert(*each) for each in alerts])


def _coverage_alert(session: Session, coordinator: User, facilitators: int) -> NotificationDraft:
    return _draft(
        recipient=coordinator,
        session=session,
        kind="coverage_alert",
        dedupe_key=f"coverage:{session.pk}:{coordinator.pk}:{session.starts_at:%Y%m%dT%H%M}",  # re-armed by a move
        context={"facilitators": facilitators},
        link=reverse("admin:sessions_app_session_change", args=[session.pk]),
    )
