"""The benchmark's sessions: one series per program, monthly rounds of parallel groups
from a year ago to a year ahead, two co-facilitators each, and the bookings.

One round starts in 20 hours (its reminders are due) and one ended an hour ago (its
attendance and feedback requests are due); older rounds are completed with every sweep's
stamp set, as a year of sweeps would have left them.
"""

import datetime
import math

from peers.bench_data import Context, bulk
from sessions_app.models import Booking, Facilitation, Session, SessionSeries, Topic
from sessions_app.models.facilitation import facilitation_span

ROUNDS = 24
MINUTES = 60


def grow(ctx: Context) -> None:
    topics = list(Topic.objects.filter(program__isnull=True).order_by("pk"))
    for index, program in enumerate(ctx.programs):
        series = SessionSeries.objects.create(
            program=program,
            name="Bench monthly series",
            term_starts_on=(ctx.now - datetime.timedelta(days=400)).date(),
            term_ends_on=(ctx.now + datetime.timedelta(days=400)).date(),
        )
        bookings = ctx.share("bookings", index)
        sessions = _sessions(ctx, series, ctx.share("sessions", index), bookings, topics)
        ctx.count("sessions", sum(len(groups) for groups in sessions))
        ctx.count("bookings", bulk(Booking, _bookings(ctx, series, sessions, bookings)))
        ctx.count("facilitations", bulk(Facilitation, _facilitations(ctx, sessions)))


def _round_start(ctx: Context, r: int, rounds: int) -> datetime.datetime:
    middle = rounds // 2
    if r == middle:
        return ctx.now + datetime.timedelta(hours=20)
    if r == middle - 1:
        return ctx.now - datetime.timedelta(minutes=MINUTES + 60)
    return ctx.now + datetime.timedelta(days=30 * (r - middle))


def _split(total: int, parts: int, index: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


def _sessions(ctx: Context, series: SessionSeries, count: int, bookings: int, topics: list) -> list[list[Session]]:
    """The sessions of each round (a list per round), saved, with two seats to spare."""
    rounds, made = min(ROUNDS, count), []
    for r in range(rounds):
        groups = _split(count, rounds, r)
        capacity = math.ceil(_split(bookings, rounds, r) / groups) + 2
        starts = _round_start(ctx, r, rounds)
        past = starts < ctx.now - datetime.timedelta(days=1)
        stamp = starts if past else None
        made.append(
            [
                Session(
                    program_id=series.program_id,
                    series=series,
                    round_date=starts.date(),
                    group_number=g + 1,
                    topic=topics[r % len(topics)] if topics else None,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=MINUTES),
                    location=f"Room {g + 1}",
                    capacity=capacity,
                    status=Session.Status.COMPLETED if past else Session.Status.SCHEDULED,
                    reminders_sent_at=starts - datetime.timedelta(hours=24) if starts < ctx.now else None,
                    attendance_requested_at=stamp,
                    feedback_requested_at=stamp,
                    coverage_alert_sent_at=stamp,
                )
                for g in range(groups)
            ]
        )
    saved = Session.objects.bulk_create([s for group in made for s in group], batch_size=5_000)
    it = iter(saved)
    return [[next(it) for _ in group] for group in made]


def _bookings(ctx: Context, series: SessionSeries, rounds: list[list[Session]], total: int):
    """Each trainee at most once a round (the series' rule), spread over the groups."""
    trainees = ctx.trainees[series.program_id]
    for r, groups in enumerate(rounds):
        wanted = min(_split(total, len(rounds), r), len(trainees), sum(s.capacity for s in groups))
        offset = (r * 7) % len(trainees)
        for k in range(wanted):
            session = groups[k % len(groups)]
            if session.seats_taken == session.capacity:
                continue
            session.seats_taken += 1
            past = session.status == Session.Status.COMPLETED
            yield Booking(
                session=session,
                user_id=trainees[(offset + k) % len(trainees)],
                round_key=f"{series.pk}:{session.round_date}",
                attended=(ctx.rng.random() < 0.85) if past else None,
                feedback_given=past and ctx.rng.random() < 0.4,
            )
    Session.objects.bulk_update([s for groups in rounds for s in groups], ["seats_taken"], batch_size=5_000)


def _facilitations(ctx: Context, rounds: list[list[Session]]):
    """Two co-facilitators per group, from the end of the program's trainee list, so no
    one holds two groups of the same round."""
    for groups in rounds:
        trainees = ctx.trainees[groups[0].program_id]
        if 2 * len(groups) > len(trainees):
            continue
        for g, session in enumerate(groups):
            for slot in (1, 2):
                user_id = trainees[-(2 * g + slot)]
                yield Facilitation(
                    session=session,
                    user_id=user_id,
                    slot=slot,
                    span=facilitation_span(user_id, session.starts_at, session.ends_at),
                )
