"""The benchmark's mentoring: a running cycle per program, pairs of two peer mentors and
a faculty mentor with about ten mentees each, and a year of mentee contacts.

Almost every contact was answered in time; one in a thousand is unanswered past its
due time with no step escalated yet (what the escalation sweep finds due), and one in
five hundred went through all three steps long ago.
"""

import datetime

from mentoring.models import Contact, Mentee, MentoringCycle, MentorPair
from mentoring.models.contacts import Channel
from peers.bench_data import Context, bulk

MENTEES_PER_PAIR = 10
CHANNELS = list(Channel.values)


def grow(ctx: Context) -> None:
    for index, program in enumerate(ctx.programs):
        trainees = ctx.trainees[program.pk]
        pairs_wanted = max(1, len(trainees) // (MENTEES_PER_PAIR + 2))
        if len(trainees) < 3 or not ctx.faculty.get(program.pk):
            continue
        cycle = _cycle(ctx, program)
        pairs = MentorPair.objects.bulk_create(_pairs(ctx, cycle, trainees, pairs_wanted))
        mentees = Mentee.objects.bulk_create(
            Mentee(cycle=cycle, pair=pairs[n % len(pairs)], user_id=user_id)
            for n, user_id in enumerate(trainees[2 * len(pairs) :])
        )
        ctx.count("mentor_pairs", len(pairs))
        ctx.count("mentees", len(mentees))
        if mentees:
            ctx.count(
                "mentoring_contacts", bulk(Contact, _contacts(ctx, mentees, ctx.share("mentoring_contacts", index)))
            )


def _cycle(ctx: Context, program) -> MentoringCycle:
    today = ctx.now.date()
    return MentoringCycle.objects.create(
        program=program,
        name="Bench cycle",
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=65),
        fall_starts_on=today - datetime.timedelta(days=280),
        fall_ends_on=today - datetime.timedelta(days=160),
        spring_starts_on=today - datetime.timedelta(days=140),
        spring_ends_on=today + datetime.timedelta(days=40),
    )


def _pairs(ctx: Context, cycle: MentoringCycle, trainees: list[int], count: int):
    faculty = ctx.faculty[cycle.program_id]
    count = min(count, len(trainees) // 2)
    for n in range(count):
        yield MentorPair(
            cycle=cycle,
            third_year_id=trainees[2 * n],
            fourth_year_id=trainees[2 * n + 1],
            faculty_mentor_id=faculty[n % len(faculty)],
            published_at=ctx.now - datetime.timedelta(days=290),
        )


def _contacts(ctx: Context, mentees: list[Mentee], total: int):
    for n in range(total):
        mentee = mentees[n % len(mentees)]
        channel = CHANNELS[n % len(CHANNELS)]
        waiting, escalated = n % 1000 == 999, n % 500 == 1
        received = ctx.now - datetime.timedelta(hours=30 if waiting else ctx.rng.randrange(48, 7_000))
        due = received + datetime.timedelta(hours=48 if channel == Channel.EMAIL else 24)
        answered = None if waiting or escalated else received + datetime.timedelta(hours=ctx.rng.randrange(1, 20))
        alerted = due + datetime.timedelta(hours=1) if escalated else None
        yield Contact(
            mentee=mentee,
            pair_id=mentee.pair_id,
            channel=channel,
            message=f"Bench message {n}: could we talk this week?",
            received_at=received,
            due_at=due,
            answered_at=answered,
            mentors_alerted_at=alerted,
            faculty_alerted_at=alerted,
            coordinator_alerted_at=alerted,
        )
