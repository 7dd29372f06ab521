"""Series: the rounds a program's recurring sessions fall on, and their sessions."""

import datetime
import math

from django.core.exceptions import ValidationError

from peers.models import Membership, Role, TrainingProgram
from sessions_app import access
from sessions_app.models import SeriesGroup, Session, SessionSeries, Topic
from sessions_app.scheduling import local_to_utc, round_dates, wall_clock_problem
from sessions_app.services.facilitation import facilitation_add


def groups_needed(*, program: TrainingProgram, group_size: int) -> int:
    """ceil(active trainees / group size), at least one group."""
    trainees = Membership.objects.active().filter(program=program, role=Role.TRAINEE).count()
    return max(1, math.ceil(trainees / group_size))


def _series_dates(series: SessionSeries) -> list[datetime.date]:
    return round_dates(
        starts_on=series.term_starts_on,
        ends_on=series.term_ends_on,
        cadence=series.cadence,
        weekday=series.weekday,
        week=series.week_of_month,
    )


def series_time_problems(*, series: SessionSeries) -> list[str]:
    """Rounds whose local start time is skipped or repeated by a clock change."""
    problems = (
        wall_clock_problem(day, series.local_start_time, series.program.time_zone) for day in _series_dates(series)
    )
    return [problem for problem in problems if problem]


def series_generate_sessions(*, series: SessionSeries) -> list[Session]:
    """Create the sessions of every round of the series that do not exist yet.

    1. Round dates follow the cadence and the "nth weekday" rule, in the program's zone.
    2. Each round has ceil(active trainees / group size) parallel groups, or as many as
       the series' group rows if more; a group row gives its sessions their room, join
       link and co-facilitators (the series' own room and link otherwise).
    3. A session is keyed by (series, round date, group number), so running this twice
       creates nothing new; the database's unique constraint backs that up.
    Returns the sessions created.
    """
    program = series.program
    rows = {row.number: row for row in series.groups.prefetch_related("facilitators")}
    groups = max(groups_needed(program=program, group_size=series.seats_per_group), max(rows, default=0))
    topics = list(series.topics.order_by("pk"))
    existing = set(Session.objects.filter(series=series).values_list("round_date", "group_number"))
    created = []
    for index, day in enumerate(_series_dates(series)):
        starts_at = local_to_utc(day, series.local_start_time, program.time_zone)
        topic = topics[index % len(topics)] if topics else None
        created += [
            _new_session(series, day, group, topic, starts_at, rows.get(group))
            for group in range(1, groups + 1)
            if (day, group) not in existing
        ]
    Session.objects.bulk_create(created, ignore_conflicts=True)  # sets no ids with ignore_conflicts
    keys = {(session.round_date, session.group_number) for session in created}
    fresh = [s for s in Session.objects.filter(series=series) if (s.round_date, s.group_number) in keys]
    _give_group_facilitators(fresh, rows)
    return fresh


def _new_session(
    series: SessionSeries,
    day: datetime.date,
    group: int,
    topic: Topic | None,
    starts_at: datetime.datetime,
    row: SeriesGroup | None,
) -> Session:
    return Session(
        program=series.program,
        series=series,
        round_date=day,
        group_number=group,
        topic=topic,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=series.duration_minutes),
        modality=series.modality,
        location=(row and row.location) or series.location,
        join_link=(row and row.join_link) or series.join_link,
        capacity=series.seats_per_group,
    )


def _give_group_facilitators(sessions: list[Session], rows: dict[int, SeriesGroup]) -> list[str]:
    """Each new session takes its group row's co-facilitators, through the same checks as
    anyone else (training, two slots, one advisor, no overlap). Returns what was refused."""
    refused = []
    for session in sessions:
        row = rows.get(session.group_number)
        for user in list(row.facilitators.all())[:2] if row else []:
            try:
                facilitation_add(session=session, user=user, kind=access.facilitation_kind_for(user, session))
            except ValidationError as error:
                refused.append(f"{user} for {session}: {' '.join(error.messages)}")
    return refused
