"""The sessions section of the figures pages, built from sessions_app/figures.py."""

import datetime

from django.db.models import Avg, Count

from peers.figures import Figure, Period, Section
from peers.figures.figure import share
from peers.suppression import may_show, publishable_texts
from sessions_app.figures import WHOLE, active_trainees, held_sessions, monthly_counts, office_counts, reach_counts
from sessions_app.models import Facilitation, Feedback
from sessions_app.models.curriculum import Modality

NOT_YET = "–"


def _lines(period: Period, monthly: dict[datetime.date, dict]) -> list[tuple[str, dict, object]]:
    """(label, counts, reach key) per month, then per term of a year, then the whole period."""
    lines = [(f"{month:%b %Y}", counts, ("month", month)) for month, counts in monthly.items()]
    if len(period.terms()) > 1:
        for spring, term in enumerate(period.terms()):
            months = [c for m, c in monthly.items() if term.start <= m < term.end]
            lines.append((term.label.split(" (")[0], _sum(months), ("term", bool(spring))))
    lines.append((WHOLE, _sum(list(monthly.values())), None))
    return lines


def _sum(counts: list[dict]) -> dict:
    keys = counts[0].keys() if counts else ()
    return {key: sum(c[key] for c in counts) for key in keys}


def program_section(program, period: Period) -> Section:
    lines = _lines(period, monthly_counts(program, period))
    reach = reach_counts(program, period)
    trainees = active_trainees(program, period)
    figures = [
        Figure(
            slug="sessions-held",
            title="Sessions held, seats offered and taken",
            columns=["Period", "Sessions held", "Seats offered", "Seats taken"],
            rows=[[label, c["held"], c["offered"], c["taken"]] for label, c, _ in lines],
        ),
        Figure(
            slug="sessions-attendance",
            title="Attendance rate (of bookings whose attendance was taken)",
            columns=["Period", "Attendance rate", "Attended", "Attendance taken"],
            rows=[[label, share(c["attended"], c["recorded"]), c["attended"], c["recorded"]] for label, c, _ in lines],
            unit="%",
        ),
        _reach(lines, reach, trainees),
        Figure(
            slug="sessions-coverage",
            title="Co-facilitation coverage (two facilitators a week ahead)",
            columns=["Period", "Coverage", "Covered", "Sessions held", "Attendance never taken"],
            rows=[
                [label, share(c["covered"], c["held"]), c["covered"], c["held"], c["untaken"]] for label, c, _ in lines
            ],
            unit="%",
        ),
        _load(program, period),
        *_feedback(program, period),
    ]
    return Section(title="Group sessions", figures=figures)


def _reach(lines, reach: dict, trainees: int) -> Figure:
    rows = []
    for label, _, key in lines:
        reached, repeated = reach.get(key, (0, 0))
        rows.append([label, share(reached, trainees), reached, share(repeated, reached), repeated])
    return Figure(
        slug="sessions-reach",
        title="Reach and repeat attendance",
        columns=["Period", "Reach", "Trainees who attended", "Came again (share)", "Came twice or more"],
        rows=rows,
        unit="%",
        note=f"Reach is a share of the program's {trainees} trainees active in the period.",
    )


def _load(program, period: Period) -> Figure:
    rows = (
        Facilitation.objects.filter(session__in=held_sessions(program, period))
        .values("user__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "user__name")
    )
    return Figure(
        slug="sessions-load",
        title="Facilitator load (sessions held, by facilitator)",
        columns=["Facilitator", "Sessions"],
        rows=[[row["user__name"], row["n"]] for row in rows],
    )


_FEEDBACK = [
    ("feedback-topic", "Feedback by topic", "Topic", "session__topic__title"),
    ("feedback-format", "Feedback by format", "Format", "session__modality"),
]


def _feedback(program, period: Period) -> list[Figure]:
    columns = lambda by: [by, "Average rating (1-5)", "Answers"]  # noqa: E731
    if not period.is_closed(program.time_zone):
        note = "Feedback is anonymous: it is shown once the period has ended."
        return [
            Figure(slug=slug, title=title, columns=columns(by), rows=[], note=note) for slug, title, by, _ in _FEEDBACK
        ]
    answers = Feedback.objects.filter(
        session__program=program, submitted_on__gte=period.start, submitted_on__lt=period.end
    )
    return [_ratings(answers, slug, title, columns(by), field) for slug, title, by, field in _FEEDBACK]


def _ratings(answers, slug: str, title: str, columns: list[str], field: str) -> Figure:
    """Average per group for 5 answers or more; the count only as "5 or more"; comments
    where 5 or more wrote one (two queries)."""
    groups = answers.values(field).annotate(n=Count("pk"), average=Avg("rating")).order_by(field)
    comments: dict = {}
    for key, comment in answers.exclude(comment="").values_list(field, "comment"):
        comments.setdefault(key, []).append(comment)
    rows, texts = [], {}
    for group in groups:
        label = _label(field, group[field])
        shown = may_show(group["n"])
        rows.append([label, round(group["average"], 1) if shown else NOT_YET, "5 or more" if shown else "fewer than 5"])
        if (published := publishable_texts(comments.get(group[field], []))) is not None:
            texts[label] = published
    note = "Averages and comments only where 5 or more answered; answers are not counted, to keep them anonymous."
    return Figure(slug=slug, title=title, columns=columns, rows=rows, note=note, texts=texts)


def _label(field: str, value) -> str:
    if field == "session__modality":
        return dict(Modality.choices).get(value, value)
    return value or "No topic"


def office_section(programs, period: Period) -> Section:
    """Each program's figures for the whole period side by side, in three queries. The
    period's bounds are the office's zone (settings.TIME_ZONE)."""
    by_program = office_counts(programs, period)
    rows = {p.pk: by_program.get(p.pk, {}) for p in programs}
    name = {p.pk: p.name for p in programs}

    def figure(slug, title, columns, value, unit="%"):
        return Figure(
            slug=slug,
            title=title,
            columns=["Program", *columns],
            rows=[[name[pk], *value(c)] for pk, c in rows.items()],
            unit=unit,
        )

    return Section(
        title="Group sessions, by program",
        figures=[
            figure(
                "office-sessions-held",
                "Sessions held",
                ["Sessions held", "Seats offered", "Seats taken"],
                lambda c: [c.get("held", 0), c.get("offered", 0), c.get("taken", 0)],
                unit="",
            ),
            figure(
                "office-sessions-attendance",
                "Attendance rate",
                ["Attendance rate", "Attended", "Attendance taken"],
                lambda c: [
                    share(c.get("attended", 0), c.get("recorded", 0)),
                    c.get("attended", 0),
                    c.get("recorded", 0),
                ],
            ),
            figure(
                "office-sessions-reach",
                "Reach",
                ["Reach", "Trainees who attended", "Trainees"],
                lambda c: [share(c.get("reached", 0), c.get("trainees", 0)), c.get("reached", 0), c.get("trainees", 0)],
            ),
            figure(
                "office-sessions-coverage",
                "Co-facilitation coverage",
                ["Coverage", "Covered", "Sessions held"],
                lambda c: [share(c.get("covered", 0), c.get("held", 0)), c.get("covered", 0), c.get("held", 0)],
            ),
        ],
        note="The period runs in the office's time zone.",
    )
