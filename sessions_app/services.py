"""Write operations for PEERS sessions. Views, admin actions, commands and tasks call these."""

import datetime
import math
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DateTimeField, DurationField, ExpressionWrapper, F, Q, Value
from django.urls import reverse
from django.utils import timezone

from peers.models import Membership, Role, TrainingKind, TrainingProgram, User
from peers.services.notifications import Attachment, notification_create
from sessions_app import calendar as ics
from sessions_app.models import (
    Booking,
    Facilitation,
    Feedback,
    Session,
    SessionSeries,
    WaitlistEntry,
    facilitation_span,
)
from sessions_app.scheduling import local_to_utc, round_dates, wall_clock_problem

# --- series -------------------------------------------------------------------------------------


def groups_needed(*, program: TrainingProgram, group_size: int) -> int:
    """ceil(active trainees / group size), at least one group."""
    trainees = Membership.objects.active().filter(program=program, role=Role.TRAINEE).count()
    return max(1, math.ceil(trainees / group_size))


def series_time_problems(*, series: SessionSeries) -> list[str]:
    """Rounds whose local start time is skipped or repeated by a clock change."""
    dates = round_dates(
        starts_on=series.term_starts_on,
        ends_on=series.term_ends_on,
        cadence=series.cadence,
        weekday=series.weekday,
        week=series.week_of_month,
    )
    problems = (wall_clock_problem(day, series.local_start_time, series.program.time_zone) for day in dates)
    return [problem for problem in problems if problem]


def series_generate_sessions(*, series: SessionSeries) -> list[Session]:
    """Create the sessions of every round of the series that do not exist yet.

    1. Round dates follow the cadence and the "nth weekday" rule, in the program's zone.
    2. Each round has ceil(active trainees / group size) parallel groups.
    3. A session is keyed by (series, round date, group number), so running this twice
       creates nothing new; the database's unique constraint backs that up.
    Returns the sessions created.
    """
    program = series.program
    seats = series.seats_per_group
    groups = groups_needed(program=program, group_size=seats)
    topics = list(series.topics.order_by("pk"))
    dates = round_dates(
        starts_on=series.term_starts_on,
        ends_on=series.term_ends_on,
        cadence=series.cadence,
        weekday=series.weekday,
        week=series.week_of_month,
    )
    existing = set(Session.objects.filter(series=series).values_list("round_date", "group_number"))
    created = []
    for index, day in enumerate(dates):
        starts_at = local_to_utc(day, series.local_start_time, program.time_zone)
        for group in range(1, groups + 1):
            if (day, group) in existing:
                continue
            created.append(
                Session(
                    program=program,
                    series=series,
                    round_date=day,
                    group_number=group,
                    topic=topics[index % len(topics)] if topics else None,
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(minutes=series.duration_minutes),
                    modality=series.modality,
                    location=series.location,
                    join_link=series.join_link,
                    capacity=seats,
                )
            )
    return Session.objects.bulk_create(created, ignore_conflicts=True)


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
        booked = list(User.objects.filter(session_bookings__session=session, session_bookings__status="booked"))
        waiting = list(
            User.objects.filter(
                session_waitlists__session=session, session_waitlists__status__in=["waiting", "offered"]
            )
        )
        Booking.objects.filter(session=session, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED, cancelled_at=now
        )
        WaitlistEntry.objects.filter(session=session, status__in=["waiting", "offered"]).update(
            status=WaitlistEntry.Status.LEFT
        )
        for user in booked + waiting:
            _tell(
                user,
                session,
                "session_cancelled",
                f"session-cancelled:{session.pk}:{user.pk}",
                "A PEERS session was cancelled",
                f"The PEERS session on {_when(session, user)} has been cancelled. We're sorry for the change. "
                "Other sessions are open for booking on PEERS.",
                attachment=ics.session_ics(session, cancelled=True),
            )
        for user in facilitators:
            _tell(
                user,
                session,
                "session_cancelled",
                f"session-cancelled:{session.pk}:{user.pk}",
                "A PEERS session you co-facilitate was cancelled",
                f"The PEERS session on {_when(session, user)} has been cancelled; you no longer need to facilitate it.",
                attachment=ics.session_ics(session, cancelled=True),
            )
        return len(booked) + len(waiting)


CALENDAR_FIELDS = ("starts_at", "ends_at", "location", "modality", "join_link")
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
)


def session_update_problems(*, session: Session, starts_at, ends_at, group_number, series) -> list[str]:
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
        Session.objects.select_for_update().filter(pk=session.pk).first()
        fields = list(EDITABLE_FIELDS)  # never seats_taken or status: those change only through services
        if "starts_at" in changed or "ends_at" in changed:
            session.reminders_sent_at = session.attendance_requested_at = None
            session.feedback_requested_at = session.coverage_alert_sent_at = None
            fields += [
                "reminders_sent_at",
                "attendance_requested_at",
                "feedback_requested_at",
                "coverage_alert_sent_at",
            ]
        session.save(update_fields=fields)
        session_facilitations_refresh(session=session)
    told = session_changed_notify(session=session, changed=changed)
    offered = session_offer_free_seats(session=session) if "capacity" in changed else 0
    return told, offered


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
                Q(session_bookings__session=session, session_bookings__status="booked")
                | Q(facilitations__session=session, facilitations__active=True)
            ).distinct()
        )
        for user in people:
            _tell(
                user,
                session,
                "session_changed",
                f"session-changed:{session.pk}:{session.sequence}:{user.pk}",
                "Your PEERS session has changed",
                f"Your PEERS session is now on {_when(session, user)}"
                f"{', ' + session.location if session.location else ''}. The updated calendar file is attached.",
                attachment=ics.session_ics(session),
            )
    return len(people)


# --- facilitation -------------------------------------------------------------------------------


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
    on = timezone.localdate()
    if not Membership.objects.active(on).filter(user=user, program=session.program_id, role=role).exists():
        raise ValidationError(f"{user} is not an active {Role(role).label.lower()} in {session.program}.")
    if role == Role.FACILITATOR and not any(
        record.is_current(_local_date(session))
        for record in user.training_records.filter(kind=TrainingKind.FACILITATOR)
    ):
        raise ValidationError(f"{user} has no current facilitator training on the session date.")


def facilitation_withdraw(*, facilitation: Facilitation) -> None:
    """A co-facilitator steps back; the coverage check runs again for the session."""
    with transaction.atomic():
        Session.objects.filter(pk=facilitation.session_id).update(coverage_alert_sent_at=None)
        facilitation.delete()


# --- booking and the waitlist -------------------------------------------------------------------


def booking_create(*, session: Session, user: User) -> Booking:
    """Book one seat for a trainee.

    1. Lock the session row (every seat change takes this lock).
    2. Refuse a cancelled, past or closed session, or a second seat in the same round;
       return the existing booking if there is one.
    3. Take a seat if one is free; the CHECK seats_taken <= capacity backs the lock up.
    Raises ValidationError with a message for the trainee.
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        _check_bookable(session)
        existing = Booking.objects.filter(session=session, user=user, status=Booking.Status.BOOKED).first()
        if existing:
            return existing
        if session.seats_left == 0:
            raise ValidationError("This session is full. You can join its waitlist instead.", code="full")
        booking = _take_seat(session, user)
    _tell(
        user,
        session,
        "booking_confirmed",
        f"booking-confirmed:{booking.pk}",
        "Your PEERS session is booked",
        f"You're booked for the PEERS session on {_when(session, user)}. The calendar file is attached.",
        attachment=ics.session_ics(session),
    )
    return booking


def _check_bookable(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError("This session was cancelled, so it can't be booked.")
    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        raise ValidationError("This session has already taken place.")
    if timezone.now() >= session.booking_closes_at():
        raise ValidationError("Booking for this session has closed.")


def _round_key(session: Session) -> str:
    return f"{session.series_id}:{session.round_date}" if session.series_id else f"session:{session.pk}"


def _take_seat(session: Session, user: User, *, seat_already_held: bool = False) -> Booking:
    """Create the booking and count the seat with an SQL increment, so that the CHECK
    seats_taken <= capacity refuses an overbooking even if a caller forgot the lock."""
    round_key = _round_key(session)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(session=session, user=user, round_key=round_key)
            if not seat_already_held:
                Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + 1)
    except IntegrityError as error:
        if "session_never_overbooked" in str(error):
            raise ValidationError("This session is full. You can join its waitlist instead.", code="full") from None
        raise ValidationError("You already have a seat in this round. Cancel it first to choose another group.")
    session.refresh_from_db(fields=["seats_taken"])
    # A seat in this round ends any wait for another group of the same round.
    WaitlistEntry.objects.filter(
        user=user, status=WaitlistEntry.Status.WAITING, session__in=_round_sessions(session)
    ).update(status=WaitlistEntry.Status.LEFT)
    return booking


def _round_sessions(session: Session):
    if session.series_id is None:
        return Session.objects.filter(pk=session.pk)
    return Session.objects.filter(series=session.series_id, round_date=session.round_date)


def booking_cancel(*, booking: Booking) -> None:
    """Cancel a booking before the cut-off and offer the seat to the first person waiting."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.BOOKED:
            return
        if timezone.now() >= session.booking_closes_at():
            raise ValidationError("It's too close to the start to cancel here. Please tell your facilitators.")
        booking.status, booking.cancelled_at = Booking.Status.CANCELLED, timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
        _release_seat(session)
    _tell(
        booking.user,
        session,
        "booking_cancelled",
        f"booking-cancelled:{booking.pk}",
        "Your PEERS booking is cancelled",
        f"Your seat for the PEERS session on {_when(session, booking.user)} is cancelled.",
        attachment=ics.session_ics(session, cancelled=True),
    )


def _release_seat(session: Session) -> None:
    """With the session locked: hand the freed seat to the first person waiting (who has
    no seat in this round yet), or free it. After the booking cut-off nobody could
    accept in time, so the seat is simply freed."""
    entry = None
    if timezone.now() < session.booking_closes_at():
        holding = Booking.objects.filter(round_key=_round_key(session), status=Booking.Status.BOOKED).values("user")
        entry = (
            session.waitlist.filter(status=WaitlistEntry.Status.WAITING)
            .exclude(user__in=holding)
            .order_by("created_at", "pk")
            .first()
        )
    if entry is None:
        Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") - 1)
        session.refresh_from_db(fields=["seats_taken"])
        return
    hours = session.program.waitlist_offer_hours
    entry.status, entry.offered_at = WaitlistEntry.Status.OFFERED, timezone.now()
    entry.offer_expires_at = min(entry.offered_at + datetime.timedelta(hours=hours), session.booking_closes_at())
    entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
    _tell(
        entry.user,
        session,
        "waitlist_offer",
        f"waitlist-offer:{entry.pk}",
        "A seat is free for you",
        f"A seat opened in the PEERS session on {_when(session, entry.user)}. It's held for you until "
        f"{_when_at(entry.offer_expires_at, entry.user)}. Accept it on PEERS, or it goes to the next person.",
    )


def session_offer_free_seats(*, session: Session) -> int:
    """After a coordinator raises the capacity: offer each new seat to the waitlist."""
    offered = 0
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        while session.seats_left > 0 and session.waitlist.filter(status=WaitlistEntry.Status.WAITING).exists():
            if timezone.now() >= session.booking_closes_at():
                break
            Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + 1)
            session.refresh_from_db(fields=["seats_taken"])
            before = session.waitlist.filter(status=WaitlistEntry.Status.OFFERED).count()
            _release_seat(session)  # takes the seat back if nobody eligible waits
            if session.waitlist.filter(status=WaitlistEntry.Status.OFFERED).count() == before:
                break
            offered += 1
    return offered


def waitlist_join(*, session: Session, user: User) -> WaitlistEntry:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        _check_bookable(session)
        if Booking.objects.filter(session=session, user=user, status=Booking.Status.BOOKED).exists():
            raise ValidationError("You already have a seat in this session.")
        if session.seats_left > 0:
            raise ValidationError("This session still has seats: book one instead.")
        entry, _ = WaitlistEntry.objects.get_or_create(
            session=session, user=user, status__in=["waiting", "offered"], defaults={"status": "waiting"}
        )
    return entry


def waitlist_position(entry: WaitlistEntry) -> int:
    return (
        WaitlistEntry.objects.filter(session=entry.session_id, status=WaitlistEntry.Status.WAITING)
        .filter(Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lte=entry.pk))
        .count()
    )


def waitlist_accept(*, entry: WaitlistEntry) -> Booking:
    """Turn an open offer into a booking; the seat was held for it. Accepting again (a
    double tap, two tabs) returns the booking the first accept made."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=entry.session_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == WaitlistEntry.Status.ACCEPTED:
            existing = Booking.objects.filter(session=session, user=entry.user, status=Booking.Status.BOOKED).first()
            if existing:
                return existing
        if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at <= timezone.now():
            raise ValidationError(
                "This offer has expired and the seat has gone to the next person. You can join the waitlist again."
            )
        booking = _take_seat(session, entry.user, seat_already_held=True)
        entry.status = WaitlistEntry.Status.ACCEPTED
        entry.save(update_fields=["status"])
    _tell(
        entry.user,
        session,
        "booking_confirmed",
        f"booking-confirmed:{booking.pk}",
        "Your PEERS session is booked",
        f"You're booked for the PEERS session on {_when(session, entry.user)}. The calendar file is attached.",
        attachment=ics.session_ics(session),
    )
    return booking


def waitlist_leave(*, entry: WaitlistEntry) -> None:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=entry.session_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        was_offered = entry.status == WaitlistEntry.Status.OFFERED
        if entry.status not in (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED):
            return
        entry.status = WaitlistEntry.Status.LEFT
        entry.save(update_fields=["status"])
        if was_offered:
            _release_seat(session)


def waitlist_offers_expire() -> int:
    """Sweep: expire offers past their time and pass each seat on. Returns offers expired."""
    expired = 0
    while True:
        with transaction.atomic():
            entry = (
                WaitlistEntry.objects.select_for_update(skip_locked=True)
                .filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=timezone.now())
                .order_by("offer_expires_at")
                .first()
            )
            if entry is None:
                return expired
            session = Session.objects.select_for_update().get(pk=entry.session_id)
            entry.status = WaitlistEntry.Status.EXPIRED
            entry.save(update_fields=["status"])
            _release_seat(session)
            expired += 1


# --- attendance and feedback --------------------------------------------------------------------


def attendance_record(*, session: Session, present_user_ids: set[int]) -> int:
    """Mark every booked trainee present or absent; the session counts as held."""
    if session.starts_at > timezone.now() or session.status == Session.Status.CANCELLED:
        raise ValidationError("Attendance opens when the session starts.")
    with transaction.atomic():
        bookings = list(Booking.objects.select_for_update().filter(session=session, status=Booking.Status.BOOKED))
        for booking in bookings:
            booking.attended = booking.user_id in present_user_ids
        Booking.objects.bulk_update(bookings, ["attended"])
        Session.objects.filter(pk=session.pk, status=Session.Status.SCHEDULED).update(status=Session.Status.COMPLETED)
    return len(bookings)


def feedback_submit(*, booking: Booking, rating: int, comment: str) -> Feedback:
    """Anonymous feedback, once per booking. The feedback row does not point at the
    booking or the person; the booking records only that feedback was given."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.BOOKED or booking.session.status == Session.Status.CANCELLED:
            raise ValidationError("Feedback is for sessions you attended.")
        if booking.feedback_given:
            raise ValidationError("You've already given feedback for this session. Thank you!")
        if booking.attended is False or booking.session.ends_at > timezone.now():
            raise ValidationError("Feedback opens after a session you attended.")
        feedback = Feedback(session_id=booking.session_id, rating=rating, comment=comment.strip())
        feedback.full_clean()
        feedback.save()
        booking.feedback_given = True  # a yes/no, never a time that could be matched to the comment
        booking.save(update_fields=["feedback_given"])
    return feedback


# --- sweeps: reminders, attendance, feedback, coverage ------------------------------------------


def sessions_remind() -> int:
    """Sweep: remind booked trainees and facilitators before each session, once."""
    reminder_window = ExpressionWrapper(
        F("program__session_reminder_hours") * datetime.timedelta(hours=1), output_field=DurationField()
    )
    return _sweep_sessions(
        Q(
            status=Session.Status.SCHEDULED,
            reminders_sent_at__isnull=True,
            starts_at__gt=timezone.now(),
            starts_at__lte=Value(timezone.now(), output_field=DateTimeField()) + reminder_window,
        ),
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
            status__in=[Session.Status.SCHEDULED, Session.Status.COMPLETED],
            feedback_requested_at__isnull=True,
            ends_at__lte=timezone.now(),
        ),
        "feedback_requested_at",
        _send_feedback_requests,
    )


def sessions_alert_coverage() -> int:
    """Sweep: tell the coordinators about sessions still short of co-facilitators 7 days out."""
    soon = timezone.now() + datetime.timedelta(days=7)
    fully_covered = (
        Facilitation.objects.filter(active=True)
        .values("session")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("session")
    )
    return _sweep_sessions(
        Q(
            status=Session.Status.SCHEDULED,
            coverage_alert_sent_at__isnull=True,
            starts_at__lte=soon,
            starts_at__gt=timezone.now(),
        )
        & ~Q(pk__in=fully_covered),  # stamped only when an alert is really sent
        "coverage_alert_sent_at",
        _send_coverage_alert,
    )


def _sweep_sessions(condition: Q, stamp: str, act, limit: int = 500) -> int:
    """Claim each matching session under a row lock (SKIP LOCKED), act, stamp it, all in
    one transaction: a crash rolls back both, two sweeps never act twice, and the
    notifications' dedupe keys make a repeat harmless anyway."""
    done = 0
    for _ in range(limit):
        with transaction.atomic():
            session = (
                Session.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("program", "topic")
                .filter(condition)
                .order_by("starts_at")
                .first()
            )
            if session is None:
                break
            act(session)
            Session.objects.filter(pk=session.pk).update(**{stamp: timezone.now()})
            done += 1
    return done


def _send_reminders(session: Session) -> None:
    link = reverse("sessions:detail", args=[session.pk])
    for booking in session.bookings.filter(status=Booking.Status.BOOKED).select_related("user"):
        _tell(
            booking.user,
            session,
            "session_reminder",
            f"session-reminder:{session.pk}:{booking.user_id}",
            "Reminder: your PEERS session",
            f"Your PEERS session is on {_when(session, booking.user)}.",
            link=link,
        )
    for facilitation in session.facilitations.select_related("user"):
        _tell(
            facilitation.user,
            session,
            "session_reminder",
            f"session-reminder:{session.pk}:{facilitation.user_id}",
            "Reminder: you co-facilitate a PEERS session",
            f"You co-facilitate the PEERS session on {_when(session, facilitation.user)}.",
            link=link,
        )


def _send_attendance_request(session: Session) -> None:
    link = reverse("sessions:attendance", args=[session.pk])
    for facilitation in session.facilitations.select_related("user"):
        _tell(
            facilitation.user,
            session,
            "attendance_request",
            f"attendance:{session.pk}:{facilitation.user_id}",
            "Take attendance for today's PEERS session",
            "Please record who came to today's session. It takes a minute and helps the program.",
            link=link,
        )


def _send_feedback_requests(session: Session) -> None:
    for booking in session.bookings.filter(status=Booking.Status.BOOKED).exclude(attended=False).select_related("user"):
        _tell(
            booking.user,
            session,
            "feedback_request",
            f"feedback:{booking.pk}",
            "How was your PEERS session?",
            "Two questions, under a minute, and anonymous: your answer is not linked to your name.",
            link=reverse("sessions:feedback", args=[booking.pk]),
        )


def _send_coverage_alert(session: Session) -> None:
    count = session.facilitations.count()
    if count >= 2:
        return
    coordinators = User.objects.filter(
        memberships__in=Membership.objects.active().filter(program=session.program_id, role=Role.COORDINATOR)
    ).distinct()
    for coordinator in coordinators:
        _tell(
            coordinator,
            session,
            "coverage_alert",
            f"coverage:{session.pk}:{coordinator.pk}",
            "A PEERS session needs a co-facilitator",
            f"The session on {_when(session, coordinator)} (group {session.group_number}) has {count} of 2 "
            "co-facilitators and starts within a week.",
            link=reverse("admin:sessions_app_session_change", args=[session.pk]),
        )


# --- helpers ------------------------------------------------------------------------------------


def _when_at(moment: datetime.datetime, user: User) -> str:
    local = timezone.localtime(moment, timezone=ics.zone_of(user))
    return local.strftime("%A %B %-d at %H:%M (%Z)")


def _when(session: Session, user: User) -> str:
    return _when_at(session.starts_at, user)


def _tell(
    user: User,
    session: Session,
    kind: str,
    key: str,
    subject: str,
    message: str,
    *,
    link: str = "",
    attachment: str | None = None,
) -> None:
    notification_create(
        recipient=user,
        kind=kind,
        dedupe_key=key,
        template="generic",
        program=session.program,
        context={"subject": subject, "message": message},
        link=link or reverse("sessions:detail", args=[session.pk]),
        attachments=[Attachment("peers-session.ics", attachment, "text/calendar")] if attachment else None,
    )


def availability_set(*, user: User, program: TrainingProgram, month: datetime.date, note: str):
    from sessions_app.models import Availability

    if (
        not Membership.objects.active()
        .filter(user=user, program=program, role__in=[Role.FACILITATOR, Role.WELLNESS_ADVISOR])
        .exists()
    ):
        raise ValidationError(f"You are not a facilitator in {program}.")
    availability, _ = Availability.objects.update_or_create(
        user=user, program=program, month=month.replace(day=1), defaults={"note": note.strip()}
    )
    return availability


def calendar_token_reset(*, user: User) -> str:
    from peers.models.users import _new_calendar_token

    user.calendar_token = _new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def session_facilitations_refresh(*, session: Session) -> None:
    """After a session's time changes, move its facilitators' spans with it."""
    for facilitation in session.facilitations.all():
        facilitation.span = facilitation_span(facilitation.user_id, session.starts_at, session.ends_at)
        facilitation.save(update_fields=["span"])


def _local_date(session: Session) -> datetime.date:
    return timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(session.program.time_zone)).date()
