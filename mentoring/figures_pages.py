"""The mentoring section of the figures pages, built from mentoring/figures.py."""

from mentoring import figures
from mentoring.models import Channel
from peers.figures import Figure, Period, Section
from peers.figures.figure import share

ALL = "All faculty mentors"


def program_section(program, period: Period) -> Section:
    return Section(
        title="Peer mentoring",
        figures=[
            _on_time(program, period),
            _escalations(program, period),
            _contacted(program, period),
            *_met(program, period),
            _cycles(program, period),
        ],
    )


def _on_time(program, period) -> Figure:
    by_channel = figures.on_time_by_channel(program, period)
    rows = []
    for value, label in Channel.choices:
        row = by_channel.get(value, {"due": 0, "on_time": 0})
        rows.append([label, share(row["on_time"], row["due"]), row["on_time"], row["due"]])
    due = sum(row[3] for row in rows)
    rows.append(["All channels", share(sum(row[2] for row in rows), due), sum(row[2] for row in rows), due])
    return Figure(
        slug="mentoring-on-time",
        title="Contacts answered on time, by channel",
        columns=["Channel", "On time", "Answered on time", "Deadline passed"],
        rows=rows,
        unit="%",
        note="Only contacts whose deadline has passed count; one not yet due may still be answered on time.",
    )


def _escalations(program, period) -> Figure:
    counts = figures.escalations(program, period)
    steps = [
        ("Past the deadline: mentors told", "mentors"),
        ("To the faculty mentor", "faculty"),
        ("To the coordinators", "coordinator"),
    ]
    return Figure(
        slug="mentoring-escalations",
        title="Escalations by step",
        columns=["Step", "Contacts", "Share of contacts due"],
        rows=[
            [label, counts[key], f"{share(counts[key], counts['due'])}%" if counts["due"] else "–"]
            for label, key in steps
        ],
    )


def _contacted(program, period) -> Figure:
    counts = figures.contacted_by_month(program, period)
    rows = []
    for month in period.months():
        mentees, contacted = counts.get(month, (0, 0))
        rows.append([f"{month:%b %Y}", share(contacted, mentees), contacted, mentees])
    return Figure(
        slug="mentoring-contacted",
        title="Duty compliance: mentees contacted each month",
        columns=["Month", "Contacted", "Mentees contacted", "Mentees"],
        rows=rows,
        unit="%",
    )


def _met(program, period) -> list[Figure]:
    counts = figures.met_by_term(program, period)
    pairs = {pair.pk: str(pair) for pair in figures.pairs(program, period)}
    by_faculty, by_pair = [], []
    for term in period.terms():
        name = term.label.split(" (")[0]
        mentees, met = counts.get((term.key, None, None), (0, 0))
        by_faculty.append([f"{name}: {ALL.lower()}", share(met, mentees), met, mentees])
        for (key, kind, who), (n, m) in sorted(counts.items(), key=lambda item: str(item[0][2])):
            if key == term.key and kind == "faculty":
                by_faculty.append([f"{name}: {who}", share(m, n), m, n])
            elif key == term.key and kind == "pair":
                by_pair.append([f"{name}: {pairs.get(who, who)}", share(m, n), m, n])
    columns = ["Term", "Met", "Mentees met", "Mentees"]
    return [
        Figure(
            slug="mentoring-met",
            title="Duty compliance: mentees met each term, by faculty mentor",
            columns=columns,
            rows=by_faculty,
            unit="%",
        ),
        Figure(
            slug="mentoring-met-pairs",
            title="Duty compliance: mentees met each term, by pair",
            columns=columns,
            rows=by_pair,
            unit="%",
        ),
    ]


def _cycles(program, period) -> Figure:
    return Figure(
        slug="mentoring-cycles",
        title="Selection and pairing, per cycle",
        columns=[
            "Cycle",
            "Applications",
            "Interviewed",
            "Selected",
            "Waitlisted",
            "Pairs",
            "Pairs dissolved",
            "Mentees",
        ],
        rows=[
            [c.name, c.n_applications, c.n_interviewed, c.n_selected, c.n_waitlisted, c.n_pairs, c.n_dissolved]
            + [c.n_mentees]
            for c in figures.cycles(program, period)
        ],
    )
