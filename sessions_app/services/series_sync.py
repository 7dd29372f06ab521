"""Keeping a series' future sessions in step with the series after a coordinator edits it."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from peers.models import User
from sessions_app import notify
from sessions_app.models import Booking, Facilitation, SeriesGroup, Session, SessionSeries
from sessions_app.scheduling import local_to_utc
from sessions_app.services.changes import (
    SERIES_FIELDS,
    SWEEP_STAMPS,
    session_facilitations_refresh,
    session_update_problems,
)


@dataclass
class SeriesUpdate:
    """What a series edit did to its sessions, for the coordinator's page."""

    updated: list[Session] = field(default_factory=list)
    kept_by_hand: list[Session] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    told: int = 0


def series_update(*, series: SessionSeries, overwrite_hand_changes: bool = False) -> SeriesUpdate:
    """Bring the series' future sessions in line with the series and its group rows, after
    the coordinator saved them.

    1. Only scheduled sessions that have not started yet; past sessions keep what they had.
    2. Each session is locked, compared with what the series now says (its time of day,
       duration, format, and its group's room and link, else the series'), and changed
       only where it differs. The comparison under the lock is the claim: saving twice,
       or saving without a change, finds nothing to do, so nobody is told twice.
    3. A field a coordinator set on the session itself is left as it is, unless they
       asked to overwrite sessions changed by hand (the session then follows the series
       again).
    4. A changed session gets a new calendar revision; a moved one has its reminder,
       attendance, feedback and coverage sweeps re-armed for its new time.
    5. Each person booked or co-facilitating is told once for the whole edit, with one
       updated calendar file per session of theirs that changed.
    A session whose move the database would refuse (a facilitator busy at the new time)
    is left as it was and named in `refused`.
    """
    rows = {row.number: row for row in SeriesGroup.objects.filter(series=series)}
    result = SeriesUpdate()
    upcoming = Session.objects.filter(
        series=series, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
    ).order_by("pk")  # locked in id order, like a round's groups
    with transaction.atomic():
        for pk in upcoming.values_list("pk", flat=True):
            _session_follow(pk, series, rows, overwrite_hand_changes, result)
        result.told = _tell_people(series, result.updated)
    return result


def _wanted(session: Session, series: SessionSeries, row: SeriesGroup | None, hand: set[str]) -> dict:
    """What the series says this session should be, keeping the fields in `hand`."""
    starts_at = session.starts_at
    if "starts_at" not in hand:
        starts_at = local_to_utc(session.round_date, series.local_start_time, series.program.time_zone)
    minutes = session.duration_minutes if "ends_at" in hand else series.duration_minutes
    wanted = {
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(minutes=minutes),
        "modality": series.modality,
        "location": (row and row.location) or series.location,
        "join_link": (row and row.join_link) or series.join_link,
    }
    return {name: value for name, value in wanted.items() if name in ("starts_at", "ends_at") or name not in hand}


def _session_follow(pk: int, series: SessionSeries, rows: dict, overwrite: bool, result: SeriesUpdate) -> None:
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("program").get(pk=pk)
        if session.status != Session.Status.SCHEDULED:
            return  # cancelled since the list was read
        hand = set() if overwrite else set(session.changed_by_hand)
        row = rows.get(session.group_number)
        changes = _differences(session, _wanted(session, series, row, hand))
        if hand and _differences(session, _wanted(session, series, row, set())) != changes:
            result.kept_by_hand.append(session)
        if not changes:
            return
        problems = session_update_problems(
            session=session,
            starts_at=changes.get("starts_at", session.starts_at),
            ends_at=changes.get("ends_at", session.ends_at),
            group_number=None,
            series=None,
        )
        if problems:
            result.refused += [f"{session}: {problem}" for problem in problems]
            return
        try:
            _apply(session, changes, overwrite)
        except IntegrityError:  # a facilitation at the new time came in since the check
            result.refused.append(f"{session}: a co-facilitator is busy at the new time.")
            return
        result.updated.append(session)


def _differences(session: Session, wanted: dict) -> dict:
    return {name: value for name, value in wanted.items() if getattr(session, name) != value}


def _apply(session: Session, changes: dict, overwrite: bool) -> None:
    for name, value in changes.items():
        setattr(session, name, value)
    fields = [*changes, "sequence", "changed_by_hand"]
    session.sequence += 1
    if overwrite:
        session.changed_by_hand = [name for name in session.changed_by_hand if name not in SERIES_FIELDS]
    if "starts_at" in changes or "ends_at" in changes:
        for stamp in SWEEP_STAMPS:
            setattr(session, stamp, None)
        fields += SWEEP_STAMPS
    with transaction.atomic():
        session.save(update_fields=fields)
        session_facilitations_refresh(session=session)


def _tell_people(series: SessionSeries, sessions: list[Session]) -> int:
    """One message per person for the whole edit, naming each of their changed sessions."""
    if not sessions:
        return 0
    ids = [session.pk for session in sessions]
    places: dict[int, list[Session]] = defaultdict(list)
    by_id = {session.pk: session for session in sessions}
    booked = Booking.objects.filter(session__in=ids, status=Booking.Status.BOOKED).values_list("user", "session")
    facilitating = Facilitation.objects.filter(session__in=ids, active=True).values_list("user", "session")
    for user_id, session_id in [*booked, *facilitating]:
        places[user_id].append(by_id[session_id])
    people = User.objects.in_bulk(list(places))
    for user_id, theirs in places.items():
        notify.series_changed(series, people[user_id], sorted(theirs, key=lambda s: (s.starts_at, s.pk)))
    return len(places)
