"""The sessions' sweeps: reminders, attendance and feedback requests, coverage alerts.
Each claims one session at a time, acts, and stamps it, in one transaction."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, DateTimeField, DurationField, ExpressionWrapper, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from peers.models import Membership, Role, User
from sessions_app import notify
from sessions_app.models import Booking, Facilitation, Session, SessionSettings

HOUR = datetime.timedelta(hours=1)


def sessions_remind() -> int:
    """Sweep: remind booked trainees and facilitators before each session, once."""
    now = Value(timezone.now(), output_field=DateTimeField())
    # The session's own program's lead time, a correlated subquery rather than a join: the
    # claiming query then reads the session table alone, through its partial index.
    own_hours = SessionSettings.objects.filter(program=OuterRef("program_id")).values("session_reminder_hours")[:1]
    reminder_window = ExpressionWrapper(Subquery(own_hours) * HOUR, output_field=DurationField())
    # The longest lead time of any program, one InitPlan: the index on starts_at then
    # reads only sessions that some program would remind of now, not every future one.
    longest = SessionSettings.objects.order_by("-session_reminder_hours").values("session_reminder_hours")[:1]
    longest_window = ExpressionWrapper(Subquery(longest) * HOUR, output_field=DurationField())
    return _sweep_sessions(
        Q(
            status=Session.Status.SCHEDULED,
            reminders_sent_at__isnull=True,
            starts_at__gt=timezone.now(),
            starts_at__lte=now + longest_window,
        )
        & Q(starts_at__lte=now + reminder_window),
        "reminders_sent_at",
        _send_reminders,
    )


def sessions_request_attendance() -> int:
    """Sweep: on the day, at the start, ask the facilitators to take attendance."""
    return _sweep_sessions(
        Q(status=Session.Status.SCHEDULED, attendance_requested_at__isnull=True, starts_at__lte=timezone.now()),
        "attendance_requested_at",
        _send_attendance_request,
    )


def sessions_request_feedback() -> int:
    """Sweep: after a session, ask its attendees for anonymous feedback."""
    return _sweep_sessions(
        Q(
            status__in=Session.NOT_CANCELLED,
            feedback_requested_at__isnull=True,
            ends_at__lte=timezone.now(),
        ),
        "feedback_requested_at",
        _send_feedback_requests,
        order="ends_at",  # the indexed column: the first row in index order, not a sort
    )


def sessions_alert_coverage() -> int:
    """Sweep: tell the coordinators about sessions still short of co-facilitators 7 days out."""
    soon = timezone.now() + datetime.timedelta(days=7)
    # Counted per candidate session (correlated), not over every facilitation there is.
    active_facilitators = (
        Facilitation.objects.filter(session=OuterRef("pk"), active=True)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return _sweep_sessions(
        Q(
            status=Session.Status.SCHEDULED,
            coverage_alert_sent_at__isnull=True,
            starts_at__lte=soon,
            starts_at__gt=timezone.now(),
        )
        & Q(active_facilitators__lt=2),  # stamped only when an alert is really sent
        "coverage_alert_sent_at",
        _send_coverage_alert,
        alias={"active_facilitators": Coalesce(Subquery(active_facilitators), 0)},
    )


def _sweep_sessions(
    condition: Q,
    stamp: str,
    act: Callable[[Session], None],
    limit: int = 500,
    alias: dict | None = None,
    order: str = "starts_at",
) -> int:
    """Claim each matching session under a row lock (SKIP LOCKED), act, stamp it, all in
    one transaction: a crash rolls back both, two sweeps never act twice, and the
    notifications' dedupe keys make a repeat harmless anyway. The claiming query reads
    the session table alone (no join the planner could start from), so it goes through
    the sweep's partial index whatever the statistics say; the session's program and
    topic are read once it is claimed."""
    done = 0
    for _ in range(limit):
        with transaction.atomic():
            claimed = (
                Session.objects.select_for_update(skip_locked=True)
                .alias(**(alias or {}))
                .filter(condition)
                .order_by(order)
                .values_list("pk", flat=True)
                .first()
            )
            if claimed is None:
                break
            session = Session.objects.select_related("program", "topic").get(pk=claimed)
            act(session)
            Session.objects.filter(pk=session.pk).update(**{stamp: timezone.now()})
            done += 1
    return done


def _send_reminders(session: Session) -> None:
    for booking in session.bookings.filter(status=Booking.Status.BOOKED).select_related("user"):
        notify.session_reminder(session, booking.user, facilitating=False)
    for facilitation in session.facilitations.select_related("user"):
        notify.session_reminder(session, facilitation.user, facilitating=True)


def _send_attendance_request(session: Session) -> None:
    for facilitation in session.facilitations.select_related("user"):
        notify.attendance_request(facilitation)


def _send_feedback_requests(session: Session) -> None:
    for booking in session.bookings.filter(status=Booking.Status.BOOKED).exclude(attended=False).select_related("user"):
        notify.feedback_request(booking)


def _send_coverage_alert(session: Session) -> None:
    count = session.facilitations.count()
    if count >= 2:
        return
    coordinators = User.objects.filter(
        memberships__in=Membership.objects.active().filter(program=session.program_id, role=Role.COORDINATOR)
    ).distinct()
    for coordinator in coordinators:
        notify.coverage_alert(session, coordinator, facilitators=count)
