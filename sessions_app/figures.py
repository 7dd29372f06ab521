"""Sessions figures for the figures pages (peers/figures), every number an aggregate
computed by PostgreSQL for the months of the period, then its terms and the whole period.

- Held: a session of the period that has ended and was not cancelled.
- Seats offered: the held sessions' capacity; taken: their bookings still booked.
- Attendance rate: attended among the bookings whose attendance was recorded.
- Reach: distinct trainees who attended at least once, of the program's trainees whose
  membership was active at some point in the period; repeat: of those reached, the share
  who attended twice or more (distinct people, so a term is not the sum of its months).
- Co-facilitation coverage: held sessions that had both co-facilitators a week before
  they started (facilitations made at least 7 days ahead and still on the session).
- Attendance never taken: held sessions with bookings and no attendance recorded.
- Feedback by topic and format: anonymous, so closed periods only, the average only for
  5 or more answers and the number of answers only as "5 or more" (never a count), and
  comments only where 5 or more wrote one (peers.suppression).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from peers.figures import Period
from peers.models import Membership, Role
from sessions_app.models import Booking, Facilitation, Session

WEEK = datetime.timedelta(days=7)
WHOLE = "Whole period"


def _count(queryset) -> Subquery:
    """A correlated COUNT(*) over `queryset` (filtered on OuterRef), as an integer."""
    counted = queryset.order_by().values("session").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def held_sessions(program, period: Period):
    start, end = period.bounds(program.time_zone)
    return Session.objects.filter(
        program=program, starts_at__gte=start, starts_at__lt=end, ends_at__lte=timezone.now()
    ).exclude(status=Session.Status.CANCELLED)


def monthly_counts(program, period: Period) -> dict[datetime.date, dict]:
    """One aggregate: per month of the period, the additive counts of its held sessions."""
    booked = Booking.objects.filter(session=OuterRef("pk"), status=Booking.Status.BOOKED)
    early = Facilitation.objects.filter(session=OuterRef("pk"), created_at__lte=OuterRef("starts_at") - WEEK)
    rows = (
        held_sessions(program, period)
        .annotate(
            n_taken=_count(booked),
            n_recorded=_count(booked.filter(attended__isnull=False)),
            n_attended=_count(booked.filter(attended=True)),
            n_early=_count(early),
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=ZoneInfo(program.time_zone)))
        .values("month")
        .annotate(
            held=Count("pk"),
            offered=Sum("capacity"),
            taken=Sum("n_taken"),
            recorded=Sum("n_recorded"),
            attended=Sum("n_attended"),
            covered=Count("pk", filter=Q(n_early__gte=2)),
            untaken=Count("pk", filter=Q(n_taken__gt=0, n_recorded=0)),
        )
        .order_by()
    )
    empty = dict.fromkeys(("held", "offered", "taken", "recorded", "attended", "covered", "untaken"), 0)
    counts = {month: dict(empty) for month in period.months()}
    for row in rows:
        counts[row.pop("month").date()] = {key: value or 0 for key, value in row.items()}
    return counts


_REACH_SQL = """
SELECT month, term, count(*) AS reached, count(*) FILTER (WHERE n >= 2) AS repeated
FROM (
    SELECT date_trunc('month', s.starts_at AT TIME ZONE %(zone)s) AS month,
           (s.starts_at AT TIME ZONE %(zone)s) >= %(spring)s AS term,
           b.user_id, count(*) AS n,
           grouping(date_trunc('month', s.starts_at AT TIME ZONE %(zone)s)) AS by_month,
           grouping((s.starts_at AT TIME ZONE %(zone)s) >= %(spring)s) AS by_term
    FROM sessions_app_booking b JOIN sessions_app_session s ON s.id = b.session_id
    WHERE s.program_id = %(program)s AND b.status = 'booked' AND b.attended
      AND s.status <> 'cancelled' AND s.starts_at >= %(start)s AND s.starts_at < %(end)s AND s.ends_at <= %(now)s
    GROUP BY GROUPING SETS (
        (date_trunc('month', s.starts_at AT TIME ZONE %(zone)s), b.user_id),
        ((s.starts_at AT TIME ZONE %(zone)s) >= %(spring)s, b.user_id),
        (b.user_id)
    )
) people
GROUP BY month, term, by_month, by_term
"""


def reach_counts(program, period: Period) -> dict:
    """Distinct trainees who attended, and those who attended twice or more, per month,
    per term (True: spring) and for the whole period (key None), in one query."""
    start, end = period.bounds(program.time_zone)
    spring = datetime.datetime(period.end.year, 1, 1) if period.end.month == 7 else datetime.datetime(9999, 1, 1)
    params = {"zone": program.time_zone, "program": program.pk, "start": start, "end": end, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(_REACH_SQL, {**params, "spring": spring})
        rows = cursor.fetchall()
    found = {}
    for month, term, reached, repeated in rows:
        key = ("month", month.date()) if month is not None else ("term", term) if term is not None else None
        found[key] = (reached, repeated)
    return found


def active_trainees(program, period: Period) -> int:
    return (
        Membership.objects.filter(program=program, role=Role.TRAINEE, starts_on__lt=period.end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
        .values("user")
        .distinct()
        .count()
    )


def office_counts(programs, period: Period) -> dict[int, dict]:
    """Per program, the whole period's counts, reach and trainees (three queries)."""
    zone = settings.TIME_ZONE
    start, end = period.bounds(zone)
    ids = [p.pk for p in programs]
    booked = Booking.objects.filter(session=OuterRef("pk"), status=Booking.Status.BOOKED)
    early = Facilitation.objects.filter(session=OuterRef("pk"), created_at__lte=OuterRef("starts_at") - WEEK)
    sessions = (
        Session.objects.filter(program__in=ids, starts_at__gte=start, starts_at__lt=end, ends_at__lte=timezone.now())
        .exclude(status=Session.Status.CANCELLED)
        .annotate(
            n_taken=_count(booked),
            n_recorded=_count(booked.filter(attended__isnull=False)),
            n_attended=_count(booked.filter(attended=True)),
            n_early=_count(early),
        )
        .values("program")
        .annotate(
            held=Count("pk"),
            offered=Sum("capacity"),
            taken=Sum("n_taken"),
            recorded=Sum("n_recorded"),
            attended=Sum("n_attended"),
            covered=Count("pk", filter=Q(n_early__gte=2)),
        )
        .order_by()
    )
    found: dict[int, dict] = {pk: {} for pk in ids}
    for row in sessions:
        found[row.pop("program")].update({key: value or 0 for key, value in row.items()})
    reached = (
        Booking.objects.filter(
            session__program__in=ids,
            status=Booking.Status.BOOKED,
            attended=True,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            session__ends_at__lte=timezone.now(),
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .values("session__program")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )
    for row in reached:
        found[row["session__program"]]["reached"] = row["n"]
    trainees = (
        Membership.objects.filter(program__in=ids, role=Role.TRAINEE, starts_on__lt=period.end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
        .values("program")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )
    for row in trainees:
        found[row["program"]]["trainees"] = row["n"]
    return found
