"""Reads for the sessions pages, each a fixed number of queries."""

import datetime
import math
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from peers.models import Membership, Role, TrainingKind, TrainingProgram, TrainingRecord, User
from peers.selectors import memberships_active_for
from peers.services.published import closed_months, month_bounds, published_tables
from peers.suppression import SuppressedCounts, may_show, suppress_counts
from sessions_app.models import (
    Availability,
    Booking,
    CalendarEntry,
    Facilitation,
    Feedback,
    Session,
    Topic,
    TopicVersion,
    WaitlistEntry,
)

SEE_SESSIONS = (Role.TRAINEE, Role.FACILITATOR, Role.WELLNESS_ADVISOR, Role.COORDINATOR)
FACILITATING = (Role.FACILITATOR, Role.WELLNESS_ADVISOR)


def program_ids_for(user: User, roles=SEE_SESSIONS) -> set[int]:
    return {m.program_id for m in memberships_active_for(user) if m.role in roles}


def sessions_upcoming_for(
    user: User, *, month: datetime.date | None = None, topic_id: int | None = None, modality: str = ""
) -> QuerySet[Session]:
    queryset = (
        Session.objects.filter(
            program__in=program_ids_for(user, (Role.TRAINEE,)),
            status=Session.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .select_related("topic", "program")
        .annotate(
            booked_by_me=Exists(
                Booking.objects.filter(session=OuterRef("pk"), user=user, status=Booking.Status.BOOKED)
            ),
            waiting_by_me=Exists(
                WaitlistEntry.objects.filter(session=OuterRef("pk"), user=user, status__in=WaitlistEntry.OPEN)
            ),
        )
        .order_by("starts_at", "group_number")
    )
    if month:
        queryset = queryset.filter(round_date__year=month.year, round_date__month=month.month)
    if topic_id:
        queryset = queryset.filter(topic_id=topic_id)
    if modality:
        queryset = queryset.filter(modality=modality)
    return queryset


def session_with_facilitators(pk: int) -> Session | None:
    """A session for its page, whoever asks: `sessions_app.access` decides who may see it."""
    return (
        Session.objects.filter(pk=pk)
        .select_related("topic", "program", "series")
        .prefetch_related(Prefetch("facilitations", queryset=Facilitation.objects.select_related("user")))
        .first()
    )


def topic_content_for(session: Session) -> Topic | TopicVersion | None:
    """What the session's topic said for it: for a session that has started, the version
    in force at its start (kept however the topic changes since); for an upcoming one, the
    topic as it is now. Topics made before versions were kept have none: the topic itself."""
    if session.topic_id is None:
        return None
    if session.starts_at > timezone.now():
        return session.topic
    version = (
        TopicVersion.objects.filter(topic=session.topic_id, valid_from__lte=session.starts_at)
        .order_by("-number")
        .first()
    )
    return version or session.topic


def topic_with_origin(pk: int) -> Topic | None:
    """A topic for its page, with the core topic and the version it adapts."""
    return Topic.objects.filter(pk=pk).select_related("program", "adapted_from", "adapted_from_version").first()


def booking_of(user: User, session: Session) -> Booking | None:
    return Booking.objects.filter(session=session, user=user, status=Booking.Status.BOOKED).first()


def waitlist_entry_of(user: User, session: Session) -> WaitlistEntry | None:
    return WaitlistEntry.objects.filter(session=session, user=user, status__in=WaitlistEntry.OPEN).first()


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the first person waiting (ties broken by id, as offers are made)."""
    return (
        WaitlistEntry.objects.filter(session=entry.session_id, status=WaitlistEntry.Status.WAITING)
        .filter(Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lte=entry.pk))
        .count()
    )


def attendance_bookings(session: Session) -> list[Booking]:
    """The booked seats of a session, by name, for the attendance form."""
    return list(session.bookings.filter(status=Booking.Status.BOOKED).select_related("user").order_by("user__name"))


def topics_for_trainee(user: User) -> QuerySet:
    """The topics of the sessions in the programs where `user` is a trainee (the list's filter)."""
    return (
        Topic.objects.filter(sessions__program__in=program_ids_for(user, (Role.TRAINEE,))).distinct().order_by("title")
    )


def my_bookings(user: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(user=user, status=Booking.Status.BOOKED)
        .select_related("session__topic", "session__program")
        .order_by("-session__starts_at")
    )


def my_waitlist(user: User) -> QuerySet[WaitlistEntry]:
    return (
        WaitlistEntry.objects.filter(user=user, status__in=WaitlistEntry.OPEN, session__starts_at__gt=timezone.now())
        .select_related("session__topic", "session__program")
        .order_by("session__starts_at")
    )


def my_facilitations(user: User) -> QuerySet[Facilitation]:
    return (
        Facilitation.objects.filter(user=user, active=True)
        .select_related("session__topic", "session__program")
        .order_by("-session__starts_at")
    )


def program_coordinators(program_id: int) -> QuerySet[User]:
    """The program's coordinators today (who hear about coverage)."""
    return User.objects.filter(
        memberships__in=Membership.objects.active().filter(program=program_id, role=Role.COORDINATOR)
    ).distinct()


def programs_facilitated_by(user: User) -> QuerySet[TrainingProgram]:
    return TrainingProgram.objects.filter(pk__in=program_ids_for(user, FACILITATING))


def my_availability(user: User) -> QuerySet[Availability]:
    return user.availabilities.select_related("program").order_by("-month")


def open_facilitation_slots_for(user: User, *, limit: int = 50, offset: int = 0) -> QuerySet[Session]:
    """The upcoming sessions `user` can still take, soonest first, `limit` from `offset`:
    short of co-facilitators, in a program where they facilitate with training current on
    the session's date, or where they are a wellness advisor and the session has none yet;
    never one they already hold, nor one at the same time as a session they co-facilitate."""
    as_facilitator = program_ids_for(user, (Role.FACILITATOR,))
    as_advisor = program_ids_for(user, (Role.WELLNESS_ADVISOR,)) - as_facilitator
    trained = TrainingRecord.objects.filter(
        user=user, kind=TrainingKind.FACILITATOR, completed_on__lte=OuterRef("round_date")
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=OuterRef("round_date")))
    has_advisor = Facilitation.objects.filter(session=OuterRef("pk"), kind=Facilitation.Kind.WELLNESS_ADVISOR)
    busy = Facilitation.objects.filter(
        user=user, active=True, session__starts_at__lt=OuterRef("ends_at"), session__ends_at__gt=OuterRef("starts_at")
    )
    return (
        Session.objects.filter(
            program__in=as_facilitator | as_advisor, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .filter((Q(program__in=as_facilitator) & Exists(trained)) | (Q(program__in=as_advisor) & ~Exists(has_advisor)))
        .exclude(Exists(busy))  # the sessions they hold overlap themselves, so this drops those too
        .annotate(facilitator_count=Count("facilitations"))
        .filter(facilitator_count__lt=2)
        .select_related("topic", "program")
        .only("starts_at", "ends_at", "group_number", "topic__title", "program__name")  # what the lists show
        .order_by("starts_at", "pk")[offset : offset + limit]
    )


FEED_PAST = datetime.timedelta(days=90)  # how far back a feed lists sessions


def feed_items(user: User) -> tuple[QuerySet[Booking], QuerySet[Facilitation]]:
    since = timezone.now() - FEED_PAST
    bookings = Booking.objects.filter(
        user=user, status=Booking.Status.BOOKED, session__starts_at__gte=since
    ).select_related("session__program")
    facilitations = Facilitation.objects.filter(user=user, active=True, session__starts_at__gte=since).select_related(
        "session__program"
    )
    return bookings, facilitations


def calendar_revisions(user: User) -> dict[tuple[int, str], int]:
    """Each of `user`'s calendar entries' revision, by (session id, role), in one query."""
    entries = CalendarEntry.objects.filter(user=user, session__starts_at__gte=timezone.now() - FEED_PAST)
    return {
        (session_id, role): revision
        for session_id, role, revision in entries.values_list("session", "role", "revision")
    }


def facilitator_roster(program: TrainingProgram) -> dict:
    """Each facilitator and advisor with training status, sessions this year and their
    next sessions, and the shortfall: groups per round x 2 against those available."""
    now = timezone.now()
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    upcoming = (
        Facilitation.objects.filter(active=True, session__starts_at__gt=now, session__program=program)
        .select_related("session")
        .order_by("session__starts_at")
    )
    members = (
        Membership.objects.active()
        .filter(program=program, role__in=FACILITATING)
        .select_related("user")
        .annotate(
            sessions_this_year=Count(
                "user__facilitations",
                filter=Q(
                    user__facilitations__active=True,
                    user__facilitations__session__program=program,
                    user__facilitations__session__starts_at__gte=year_start,
                    user__facilitations__session__starts_at__lte=now,
                ),
            )
        )
        .prefetch_related(
            Prefetch(
                "user__training_records",
                queryset=TrainingRecord.objects.filter(kind=TrainingKind.FACILITATOR).order_by("-completed_on"),
                to_attr="facilitator_training",
            ),
            Prefetch("user__facilitations", queryset=upcoming, to_attr="next_facilitations"),
        )
        .order_by("role", "user__name")
    )
    trainees = Membership.objects.active().filter(program=program, role=Role.TRAINEE).count()
    rows = []
    today = timezone.localdate()
    for member in members:
        records = member.user.facilitator_training
        current = next((r for r in records if r.is_current(today)), None)
        trained = member.role == Role.WELLNESS_ADVISOR or current is not None
        rows.append(
            {
                "membership": member,
                "training": current or (records[0] if records else None),
                "trained": trained,
                "next": member.user.next_facilitations[:3],
            }
        )
    groups = max(1, math.ceil(trainees / program.session_settings.group_size))
    # A session takes at most one wellness advisor: advisors beyond one per group fill nothing.
    facilitators = sum(1 for row in rows if row["trained"] and row["membership"].role == Role.FACILITATOR)
    advisors = sum(1 for row in rows if row["membership"].role == Role.WELLNESS_ADVISOR)
    available = facilitators + min(advisors, groups)
    return {
        "rows": rows,
        "trainees": trainees,
        "groups": groups,
        "needed": groups * 2,
        "available": available,
        "advisors_counted": min(advisors, groups),
        "shortfall": max(0, groups * 2 - available),
    }


def program_figures(program: TrainingProgram) -> dict:
    """Sessions held, seats booked, attendance rate, no-shows and facilitator coverage of
    upcoming sessions. Feedback is anonymous and is counted only in `feedback_figures`."""
    now = timezone.now()
    sessions = Session.objects.filter(program=program)
    bookings = _held_tally(program.pk, now)
    upcoming = (
        sessions.filter(starts_at__gt=now, status=Session.Status.SCHEDULED)
        .annotate(n=Count("facilitations"))
        .aggregate(total=Count("pk"), covered=Count("pk", filter=Q(n__gte=2)))
    )
    return {
        "held": bookings["n_held"],
        "booked": bookings["n_booked"],
        "attended": bookings["n_attended"],
        "no_shows": bookings["n_no_show"],
        "attendance_rate": (
            round(100 * bookings["n_attended"] / bookings["n_recorded"]) if bookings["n_recorded"] else None
        ),
        "upcoming": upcoming["total"],
        "covered": upcoming["covered"],
    }


# Held: over, not cancelled, and someone had a seat. Each of the program's ended sessions
# tallies its own bookings from the index `booking_held_tally` (session, attended; booked
# rows only), so the cost follows the program's sessions, never the whole booking table:
# the join and COUNT(DISTINCT) it replaces read every booking of every program (8.3 ms at
# bench scale 0.1, growing with the table; 1.9 ms now at any size). Raw SQL: the ORM cannot
# aggregate several counts of one correlated subquery (LATERAL).
_HELD_TALLY = """
SELECT COUNT(*) FILTER (WHERE tally.booked > 0), COALESCE(SUM(tally.booked), 0), COALESCE(SUM(tally.attended), 0),
       COALESCE(SUM(tally.no_show), 0), COALESCE(SUM(tally.recorded), 0)
FROM "{session}" s CROSS JOIN LATERAL (
    SELECT COUNT(*) AS booked, COUNT(*) FILTER (WHERE b.attended) AS attended,
           COUNT(*) FILTER (WHERE NOT b.attended) AS no_show, COUNT(b.attended) AS recorded
    FROM "{booking}" b WHERE b.session_id = s.id AND b.status = %s
) tally
WHERE s.program_id = %s AND s.ends_at <= %s AND s.status <> %s
"""


def _held_tally(program_id: int, now: datetime.datetime) -> dict:
    sql = _HELD_TALLY.format(session=Session._meta.db_table, booking=Booking._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Booking.Status.BOOKED, program_id, now, Session.Status.CANCELLED])
        held, booked, attended, no_show, recorded = cursor.fetchone()
    return {"n_held": held, "n_booked": booked, "n_attended": attended, "n_no_show": no_show, "n_recorded": recorded}


FEEDBACK_KIND = "sessions.feedback"
RATINGS = ["1", "2", "3", "4", "5"]


def feedback_figures(program: TrainingProgram) -> list[dict]:
    """Feedback ratings by closed month, through the suppression engine (peers.suppression),
    each month published once (peers.services.published), oldest first.

    A month is that of the answer (feedback keeps only the day it came), so a closed month
    gains no late answers; there are no totals across months. The month's average is
    shown only when 5 or more answered and no count is hidden: then it says nothing the
    counts do not. Queries: the first answer, the stored months; for months not stored
    yet, one aggregate, the insert and the stored months again.
    """
    first = Feedback.objects.filter(session__program=program).aggregate(first=Min("submitted_on"))["first"]
    since = None if first is None else datetime.datetime.combine(first, datetime.time(12), ZoneInfo(program.time_zone))
    stored = published_tables(
        program=program,
        kind=FEEDBACK_KIND,
        periods=closed_months(since=since, zone=program.time_zone),
        compute=lambda months: _feedback_months(program, months),
    )
    return [
        {"month": month, "ratings": SuppressedCounts.from_json(figures["ratings"]), "average": figures["average"]}
        for month, figures in stored.items()
    ]


def _feedback_months(program: TrainingProgram, months: list[datetime.date]) -> dict[datetime.date, dict]:
    end = month_bounds(months[-1], program.time_zone)[1].astimezone(ZoneInfo(program.time_zone)).date()
    rows = (
        Feedback.objects.filter(session__program=program, submitted_on__gte=months[0], submitted_on__lt=end)
        .annotate(month=TruncMonth("submitted_on"))
        .values("month", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {month: dict.fromkeys(range(1, 6), 0) for month in months}
    for row in rows:
        if row["month"] in counts:
            counts[row["month"]][row["rating"]] += row["n"]
    figures = {}
    for month, by_rating in counts.items():
        line = suppress_counts(list(by_rating.values()), labels=RATINGS)
        total = sum(by_rating.values())
        clear = may_show(total) and all(cell.isdigit() for cell in line.cells)
        average = round(sum(rating * n for rating, n in by_rating.items()) / total, 1) if clear else None
        figures[month] = {"ratings": line.to_json(), "average": average}
    return figures


def session_people_for_coordinator(session: Session) -> dict:
    """The coordinator page of one session: its booked trainees, the program's other
    active trainees (who can be booked in), the people waiting, and the sessions a
    booking can move to (the program's next MOVE_TARGETS scheduled sessions, this
    round's other groups among them). Four queries, whatever the numbers."""
    booked = Booking.objects.filter(session=session, status=Booking.Status.BOOKED).select_related("user")
    booked = list(booked.order_by("user__name"))
    taken = {booking.user_id for booking in booked}
    trainees = [
        user
        for user in User.objects.filter(
            memberships__in=Membership.objects.active().filter(program=session.program_id, role=Role.TRAINEE)
        )
        .distinct()
        .order_by("name", "pk")
        if user.pk not in taken
    ]
    waiting = session.waitlist.filter(status__in=WaitlistEntry.OPEN).select_related("user")
    waiting = list(waiting.order_by("created_at", "pk"))
    move_to = (
        Session.objects.filter(
            program=session.program_id, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .exclude(pk=session.pk)
        .select_related("topic")
        .order_by("starts_at", "group_number", "pk")[:MOVE_TARGETS]
    )
    return {"booked": booked, "trainees": trainees, "waiting": waiting, "move_to": list(move_to)}


MOVE_TARGETS = 40
