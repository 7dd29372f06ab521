"""Reads for the rounds pages: one card per round, and a round's groups. Each is a fixed
number of queries. (Beside `selectors.py`, which holds the other pages' reads.)

A round is a series' date (its parallel groups share series and round date); a session
without a series is a round of one group. A round's card is its lead session, the
scheduled group with the lowest number, annotated with the round's totals and with what
the person holds in it."""

import datetime
import functools

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from peers.models import Role, User
from peers.precompiled import Precompiled
from sessions_app.models import Booking, Facilitation, Session, WaitlistEntry
from sessions_app.selectors import program_ids_for

SCHEDULED = Session.Status.SCHEDULED


def _in_round(prefix: str = "") -> Q:
    """Rows whose session is in the round of the outer session."""
    return Q(**{f"{prefix}series": OuterRef("series"), f"{prefix}round_date": OuterRef("round_date")}) | Q(
        **{f"{prefix}pk": OuterRef("pk")}
    )


def _round_total(aggregate) -> Coalesce:
    """An aggregate over the round's scheduled groups, as a subquery (all share the round date)."""
    groups = Session.objects.filter(_in_round(), status=SCHEDULED).order_by().values("round_date")
    return Coalesce(Subquery(groups.annotate(total=aggregate).values("total")[:1]), 0)


def _mine(user_id: int) -> dict:
    booked = Booking.objects.filter(_in_round("session__"), user=user_id, status=Booking.Status.BOOKED)
    entries = WaitlistEntry.objects.filter(_in_round("session__"), user=user_id)
    facilitating = Facilitation.objects.filter(_in_round("session__"), user=user_id, active=True)
    return {
        "my_group": Subquery(booked.values("session__group_number")[:1]),
        "my_session": Subquery(booked.values("session")[:1]),
        "waiting_by_me": Exists(entries.filter(status=WaitlistEntry.Status.WAITING)),
        "offered_to_me": Exists(entries.filter(status=WaitlistEntry.Status.OFFERED)),
        "facilitating_group": Subquery(facilitating.values("session__group_number")[:1]),
    }


def _leads(program_ids: list[int], now: datetime.datetime) -> QuerySet[Session]:
    """The lead session of each upcoming round of these programs."""
    earlier_group = Session.objects.filter(
        series=OuterRef("series"),
        round_date=OuterRef("round_date"),
        status=SCHEDULED,
        group_number__lt=OuterRef("group_number"),
    )
    return (
        Session.objects.filter(program__in=program_ids, status=SCHEDULED, starts_at__gt=now)
        .exclude(Exists(earlier_group))
        .select_related("topic", "program")
        .order_by("starts_at", "pk")
    )


def _rounds(*, user_id: int, now: datetime.datetime, program_ids: list[int], **filters) -> QuerySet[Session]:
    queryset = _leads(program_ids, now).annotate(
        groups=_round_total(Count("pk")),
        seats=_round_total(Sum("capacity")),
        seats_free=_round_total(Sum(F("capacity") - F("seats_taken"))),
        **_mine(user_id),
    )
    if "month_start" in filters:
        queryset = queryset.filter(round_date__gte=filters["month_start"], round_date__lt=filters["month_end"])
    if "topic_id" in filters:
        queryset = queryset.filter(topic_id=filters["topic_id"])
    if "modality" in filters:
        queryset = queryset.filter(modality=filters["modality"])
    return queryset


_FILTER_KINDS = {
    "month_start": datetime.date,
    "month_end": datetime.date,
    "topic_id": int,
    "modality": str,
}


@functools.cache
def _rounds_compiled(filters: frozenset[str]) -> Precompiled:
    """One compiled query for each combination of filters (the SQL differs between them)."""
    kinds = {"user_id": int, "now": datetime.datetime, "program_ids": list}
    return Precompiled(_rounds, **kinds, **{name: _FILTER_KINDS[name] for name in sorted(filters)})


def rounds_upcoming_for(
    user: User,
    *,
    month: datetime.date | None = None,
    topic_id: int | None = None,
    modality: str = "",
    limit: int | None = None,
    offset: int = 0,
) -> list[Session]:
    """One row per upcoming round of the programs where `user` is a trainee, soonest first:
    its lead session with `groups`, `seats`, `seats_free` and what `user` holds in it (one
    query, compiled once a process: building it took longer than running it)."""
    program_ids = sorted(program_ids_for(user, (Role.TRAINEE,)))
    if not program_ids:
        return []
    filters = {}
    if month:
        start = month.replace(day=1)
        filters["month_start"] = start
        filters["month_end"] = (start + datetime.timedelta(days=32)).replace(day=1)
    if topic_id:
        filters["topic_id"] = topic_id
    if modality:
        filters["modality"] = modality
    compiled = _rounds_compiled(frozenset(filters))
    return compiled(user_id=user.pk, now=timezone.now(), program_ids=program_ids, limit=limit, offset=offset, **filters)


def _next_unbooked(*, user_id: int, now: datetime.datetime, after: datetime.datetime, program_ids: list[int]):
    booked = Booking.objects.filter(_in_round("session__"), user=user_id, status=Booking.Status.BOOKED)
    facilitating = Facilitation.objects.filter(_in_round("session__"), user=user_id, active=True)
    entries = WaitlistEntry.objects.filter(_in_round("session__"), user=user_id)
    return (
        _leads(program_ids, now)
        .filter(starts_at__gt=after)
        .exclude(Exists(booked))
        .exclude(Exists(facilitating))
        .annotate(
            groups=_round_total(Count("pk")),
            seats_free=_round_total(Sum(F("capacity") - F("seats_taken"))),
            waiting_by_me=Exists(entries.filter(status=WaitlistEntry.Status.WAITING)),
            offered_to_me=Exists(entries.filter(status=WaitlistEntry.Status.OFFERED)),
        )
    )


_next_unbooked_compiled = Precompiled(
    _next_unbooked, user_id=int, now=datetime.datetime, after=datetime.datetime, program_ids=list
)


def round_next_unbooked_for(user: User, *, after: datetime.datetime) -> Session | None:
    """The first round starting after `after` where `user` holds no seat and facilitates
    no group: its lead session with `groups`, `seats_free`, `waiting_by_me` and
    `offered_to_me` (one query, compiled once a process). Filtering `rounds_upcoming_for`
    by its annotations would compile and run every held-place subquery twice (select and
    where): 12 subqueries against 7 here."""
    program_ids = sorted(program_ids_for(user, (Role.TRAINEE,)))
    if not program_ids:
        return None
    rows = _next_unbooked_compiled(user_id=user.pk, now=timezone.now(), after=after, program_ids=program_ids, limit=1)
    return rows[0] if rows else None


def round_groups(session: Session) -> list[Session]:
    """The groups of the session's round that were not cancelled, with their facilitators."""
    if session.series_id is None:
        groups = Session.objects.filter(pk=session.pk)
    else:
        groups = Session.objects.filter(series=session.series_id, round_date=session.round_date)
    return list(
        groups.exclude(status=Session.Status.CANCELLED)
        .select_related("topic", "program")
        .prefetch_related(
            Prefetch("facilitations", queryset=Facilitation.objects.filter(active=True).select_related("user"))
        )
        .order_by("group_number")
    )


def round_places_of(user: User, groups: list[Session]) -> tuple[Booking | None, dict[int, WaitlistEntry]]:
    """`user`'s seat in the round, and their open waitlist places by group id (two queries)."""
    ids = [group.pk for group in groups]
    booking = Booking.objects.filter(user=user, session__in=ids, status=Booking.Status.BOOKED)
    booking = booking.select_related("session").first()
    entries = WaitlistEntry.objects.filter(user=user, session__in=ids, status__in=WaitlistEntry.OPEN)
    return booking, {entry.session_id: entry for entry in entries}


def round_booking_of(user: User, session: Session) -> Booking | None:
    """`user`'s seat in any group of the session's round, with its session."""
    booked = Booking.objects.filter(user=user, round_key=session.round_key, status=Booking.Status.BOOKED)
    return booked.select_related("session").first()
