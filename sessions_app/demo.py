"""Demo curriculum, series and sessions (invented for this project). Idempotent."""

import datetime

from django.utils import timezone

from peers.models import Membership, Role, TrainingProgram, User
from sessions_app import services
from sessions_app.models import (
    Booking,
    Facilitation,
    Feedback,
    SeriesGroup,
    Session,
    SessionCadence,
    SessionSeries,
    SessionSettings,
    Topic,
)
from sessions_app.services import groups_needed, series_generate_sessions

CORE_TOPICS = [
    (
        "Noticing what goes well",
        ["practice", "resilience"],
        60,
        "Training trains us to find what is wrong. This session practises noticing, naming and sharing what went "
        "well in a week of clinical work, and why that matters for learning and for mood.",
    ),
    (
        "Values as a compass in training",
        ["engagement", "practice"],
        75,
        "Participants name the values that brought them to medicine and look at one recent decision through them.",
    ),
    (
        "Self-compassion after a hard day",
        ["resilience", "support"],
        60,
        "How we speak to ourselves after a hard day shapes the next one. A guided exercise and a small-group talk.",
    ),
    (
        "Gratitude in clinical work",
        ["engagement", "resilience"],
        60,
        "A short writing exercise on a moment of gratitude at work, shared in pairs if people choose to.",
    ),
    (
        "Fatigue, sleep and the long call",
        ["practice", "resilience"],
        75,
        "What fatigue does to judgement and mood, and the small protective habits peers actually use.",
    ),
    (
        "Stories that give medicine meaning",
        ["engagement", "support"],
        90,
        "Each participant may bring a brief story of a patient encounter that mattered; the group listens.",
    ),
    (
        "Asking for help, offering help",
        ["support"],
        60,
        "Why asking is hard in a culture of competence, and how to make it easier for a colleague to ask you.",
    ),
    (
        "Living with uncertainty",
        ["practice", "resilience"],
        75,
        "Clinical uncertainty is constant. The group shares ways of tolerating it without losing sleep over it.",
    ),
    (
        "Boundaries and a life outside medicine",
        ["resilience", "engagement"],
        60,
        "What protects time for people and things outside training, and what quietly erodes it.",
    ),
    (
        "After a mistake: honesty and care",
        ["support", "practice"],
        90,
        "How peers respond when one of us has made an error, and how to treat ourselves while we learn from it.",
    ),
]

GUIDE = """## Before the session
- Read the summary aloud at the start; remind the group that what is shared stays in the room.
- Have the two co-facilitators agree who opens, who keeps time and who closes.

## Flow (about {minutes} minutes)
1. Check-in: one word each (5 minutes).
2. Introduce the theme: *{title}* (10 minutes).
3. Small-group or pair exercise (20 minutes).
4. Whole-group reflection (remaining time).
5. Close: one thing each person takes away.

## If someone is in distress
Stay with them, and share the crisis and clinical resources listed on the PEERS support page.
"""


def seed_sessions_demo(stdout) -> None:
    # The residency meets every two months, in smaller groups than the MD program's 10.
    SessionSettings.objects.filter(program__name="Internal Medicine Residency").update(
        group_size=8, session_cadence=SessionCadence.BIMONTHLY
    )
    topics = []
    for title, values, minutes, summary in CORE_TOPICS:
        topic, _ = Topic.objects.get_or_create(
            program=None,
            title=title,
            defaults={
                "summary": summary,
                "core_values": values,
                "default_minutes": minutes,
                "facilitator_guide": GUIDE.format(minutes=minutes, title=title),
                "material_links": "https://peers.example/materials/" + title.lower().replace(" ", "-")[:40],
            },
        )
        services.topic_version_current(topic)  # version 1, which the adaptation below records
        topics.append(topic)
    program = TrainingProgram.objects.filter(name="MD Program").first()
    if program is None:
        return
    adaptation, made = Topic.objects.get_or_create(
        program=program,
        title="Self-compassion on clerkship",
        defaults={
            "adapted_from": topics[2],
            "summary": topics[2].summary + " Adapted for students starting clerkship.",
            "core_values": topics[2].core_values,
            "default_minutes": 60,
            "facilitator_guide": topics[2].facilitator_guide,
        },
    )
    if made:
        adaptation.adapted_from_version = services.topic_version_current(topics[2])
        adaptation.save(update_fields=["adapted_from_version"])
        services.topic_version_current(adaptation)
    _seed_series(program, topics)


def _seed_series(program: TrainingProgram, topics: list[Topic]) -> None:
    today = timezone.localdate()
    start_year = today.year if today.month >= 7 else today.year - 1
    series, created = SessionSeries.objects.get_or_create(
        program=program,
        name=f"PEERS {start_year}-{start_year + 1}",
        defaults={
            "cadence": "monthly",
            "week_of_month": 2,
            "weekday": 1,
            "local_start_time": datetime.time(12, 0),
            "duration_minutes": 60,
            "term_starts_on": datetime.date(start_year, 9, 1),
            "term_ends_on": datetime.date(start_year + 1, 6, 30),
            "modality": "hybrid",
            "location": "Learning Centre, room 2.14",
            "group_size": 12,
        },
    )
    if not created:
        return
    series.topics.set(topics)
    _seed_groups(series)
    # A seminar-sized demo: 12 groups per round rather than one per 12 of 480 students.
    series_generate_sessions(series=series)
    _seed_facilitators(program)
    _seed_past_round(program)


def _seed_groups(series: SessionSeries) -> None:
    """Each parallel group meets in its own room, with its own video link (rooms 2.01 to
    2.20, then 3.01, ...), so a round's page shows where each group is."""
    groups = groups_needed(program=series.program, group_size=series.seats_per_group)
    SeriesGroup.objects.bulk_create(
        [
            SeriesGroup(
                series=series,
                number=n,
                location=f"Learning Centre, room {2 + (n - 1) // 20}.{(n - 1) % 20 + 1:02d}",
                join_link=f"https://meet.example/lakeshore-peers-group-{n:02d}",
            )
            for n in range(1, groups + 1)
        ]
    )


def _seed_facilitators(program: TrainingProgram) -> None:
    """Give the first groups of the next two rounds their co-facilitators, no one twice
    in a round; the rest stay short, so the roster and the facilitate page show work."""
    facilitators = list(
        User.objects.filter(memberships__in=Membership.objects.active().filter(program=program, role=Role.FACILITATOR))
        .order_by("email")
        .distinct()
    )
    advisor = User.objects.filter(memberships__program=program, memberships__role=Role.WELLNESS_ADVISOR).first()
    rounds = list(
        Session.objects.filter(program=program, starts_at__gt=timezone.now())
        .values_list("round_date", flat=True)
        .distinct()
        .order_by("round_date")[:2]
    )
    for round_date in rounds:
        pool = list(facilitators)
        sessions = Session.objects.filter(program=program, round_date=round_date).order_by("group_number")
        for number, session in enumerate(sessions):
            if len(pool) < 2:
                break
            pair = [
                (pool.pop(0), "facilitator"),
                (advisor, "wellness_advisor") if number == 0 and advisor else (pool.pop(0), "facilitator"),
            ]
            for slot, (user, kind) in enumerate(pair, 1):
                Facilitation(session=session, user=user, kind=kind, slot=slot).save()


def _seed_past_round(program: TrainingProgram) -> None:
    """The last round that took place: a few groups with bookings, attendance and feedback,
    so the figures have something to show."""
    last = (
        Session.objects.filter(program=program, ends_at__lt=timezone.now())
        .values_list("round_date", flat=True)
        .order_by("-round_date")
        .first()
    )
    if last is None:
        return
    trainees = list(
        User.objects.filter(
            memberships__program=program, memberships__role=Role.TRAINEE, email__startswith="md"
        ).order_by("email")[:32]
    )
    comments = ["", "Good to hear I'm not the only one.", "", "More time for the pair exercise, please.", ""]
    for group, session in enumerate(
        Session.objects.filter(program=program, round_date=last).order_by("group_number")[:4]
    ):
        people = trainees[group * 8 : (group + 1) * 8]
        Booking.objects.bulk_create(
            [
                Booking(
                    session=session,
                    user=person,
                    round_key=f"{session.series_id}:{session.round_date}",
                    attended=index < 6,
                    feedback_given=index < 5,
                )
                for index, person in enumerate(people)
            ]
        )
        Session.objects.filter(pk=session.pk).update(
            seats_taken=len(people),
            status=Session.Status.COMPLETED,
            attendance_requested_at=timezone.now(),
            feedback_requested_at=timezone.now(),
            reminders_sent_at=timezone.now(),
        )
        Feedback.objects.bulk_create(
            [
                Feedback(session=session, rating=rating, comment=comments[(group + n) % 5])
                for n, rating in enumerate((5, 4, 4, 3, 5))
            ]
        )
        Feedback.objects.filter(session=session).update(submitted_on=last)  # the day of the round
