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
# Sessions claimed and acted on per transaction: a batch holds its sessions' row locks while
# it renders their notifications (about 3 ms each), so a trainee booking one of them waits.
BATCH = 60


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
        _send_attendance_requests,
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
        _send_coverage_alerts,
        alias={"active_facilitators": Coalesce(Subquery(active_facilitators), 0)},
    )


def _sweep_sessions(
    condition: Q,
    stamp: str,
    act: Callable[[list[Session]], None],
    limit: int = 500,
    alias: dict | None = None,
    order: str = "starts_at",
) -> int:
    """Claim a batch of matching sessions under row locks (SKIP LOCKED), act on them
    together, stamp them, all in one transaction: a crash rolls back both, two sweeps
    never act twice, and the notifications' dedupe keys make a repeat harmless anyway.
    A batch costs a fixed number of queries however many sessions and people it holds
    (the notifications are created together, `notifications_create_many`). The
    claiming query reads the session table alone (no join the planner could start
    from), so it goes through the sweep's partial index whatever the statistics say;
    the sessions' programs and topics are read once they are claimed."""
    done = 0
    while done < limit:
        with transaction.atomic():
            claimed = list(
                Session.objects.select_for_update(skip_locked=True)
                .alias(**(alias or {}))
                .filter(condition)
                .order_by(order)
                .values_list("pk", flat=True)[: min(BATCH, limit - done)]
            )
            if not claimed:
                break
            act(list(Session.objects.select_related("program", "topic").filter(pk__in=claimed).order_by(order)))
            Session.objects.filter(pk__in=claimed).update(**{stamp: timezone.now()})
            done += len(claimed)
        if len(claimed) < BATCH:  # nothing more due, or the rest held by another sweep
            break
    return done


def _by_pk(sessions: list[Session]) -> dict[int, Session]:
    return {session.pk: session for session in sessions}


def _send_reminders(sessions: list[Session]) -> None:
    by_pk = _by_pk(sessions)
    bookings = Booking.objects.filter(session__in=sessions, status=Booking.Status.BOOKED).select_related("user")
    facilitations = Facilitation.objects.filter(session__in=sessions).select_related("user")
    notify.session_reminders(
        [(by_pk[booking.session_id], booking.user, False) for booking in bookings.order_by("pk")]
        + [(by_pk[facilitation.session_id], facilitation.user, True) for facilitation in facilitations.order_by("pk")]
    )


def _send_attendance_requests(sessions: list[Session]) -> None:
    facilitations = list(Facilitation.objects.filter(session__in=sessions).select_related("user").order_by("pk"))
    by_pk = _by_pk(sessions)
    for facilitation in facilitations:
        facilitation.session = by_pk[facilitation.session_id]
    notify.attendance_requests(facilitations)


def _send_feedback_requests(sessions: list[Session]) -> None:
    bookings = list(
        Booking.objects.filter(session__in=sessions, status=Booking.Status.BOOKED)
        .exclude(attended=False)
        .select_related("user")
        .order_by("pk")
    )
    by_pk = _by_pk(sessions)
    for booking in bookings:
        booking.session = by_pk[booking.session_id]
    notify.feedback_requests(bookings)


def _send_coverage_alerts(sessions: list[Session]) -> None:
    """Each session was claimed for being short of active facilitators; the count in
    the alert is every facilitation of the session, as the coordinator sees it."""
    counts = dict(
        Facilitation.objects.filter(session__in=sessions)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
    )
    coordinators = (
        Membership.objects.active()
        .filter(program__in={session.program_id for session in sessions}, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
    )
    by_program: dict[int, dict[int, User]] = {}
    for membership in coordinators:
        by_program.setdefault(membership.program_id, {})[membership.user_id] = membership.user
    notify.coverage_alerts(
        [
            (session, coordinator, counts.get(session.pk, 0))
            for session in sessions
            if counts.get(session.pk, 0) < 2
            for coordinator in by_program.get(session.program_id, {}).values()
        ]
    )
