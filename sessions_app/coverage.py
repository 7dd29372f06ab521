"""Facilitator coverage for the roster: per coming month, the co-facilitation slots open
and whether the facilitators who said they are available can fill them. Three queries
whatever the program's size: the months' sessions with their facilitator counts, the
availability stated for those months with each person's role, and the facilitators'
training records."""

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from peers.models import Membership, Role, TrainingKind, TrainingProgram, TrainingRecord
from sessions_app.models import Availability, Facilitation, Session

COVERAGE_MONTHS = 3  # this month and the next two


def coming_months(program: TrainingProgram, count: int = COVERAGE_MONTHS) -> list[datetime.date]:
    return coming_months_from(
        timezone.localtime(timezone.now(), ZoneInfo(program.time_zone)).date().replace(day=1), count
    )


def coming_months_from(first: datetime.date, count: int = COVERAGE_MONTHS) -> list[datetime.date]:
    months = [first]
    while len(months) < count:
        last = months[-1]
        months.append(last.replace(year=last.year + last.month // 12, month=last.month % 12 + 1))
    return months


def coverage_by_month(program: TrainingProgram) -> list[dict]:
    """Per coming month: sessions, co-facilitation slots (two per session), how many are
    open, and the shortfall against the people who stated availability for that month.
    A trainee facilitator takes at most one group per round (a round's groups run at the
    same time), and so does a wellness advisor, who moreover fills at most one of a
    session's two slots."""
    months = coming_months(program)
    sessions = _sessions(program, months)
    available = _available(program, months)
    rows = []
    for month in months:
        in_month = [s for s in sessions if s["round_date"].replace(day=1) == month]
        count = len(in_month)
        rounds = len({(s["series"], s["round_date"]) if s["series"] else s["pk"] for s in in_month})
        filled = sum(min(s["n"], 2) for s in in_month)
        facilitators, advisors = available.get(month, (0, 0))
        can_fill = min(2 * count, facilitators * rounds + min(count, advisors * rounds))
        rows.append(
            {
                "month": month,
                "sessions": count,
                "slots": 2 * count,
                "open": 2 * count - filled,
                "facilitators": facilitators,
                "advisors": advisors,
                "shortfall": 2 * count - can_fill,
            }
        )
    return rows


def _sessions(program: TrainingProgram, months: list[datetime.date]) -> list[dict]:
    after = months[-1].replace(year=months[-1].year + months[-1].month // 12, month=months[-1].month % 12 + 1)
    return list(
        Session.objects.filter(
            program=program,
            status=Session.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
            round_date__gte=months[0],
            round_date__lt=after,
        )
        .annotate(n=Count("facilitations", filter=Q(facilitations__active=True)))
        .values("pk", "series", "round_date", "n")
    )


def _available(program: TrainingProgram, months: list[datetime.date]) -> dict[datetime.date, tuple[int, int]]:
    """(trained trainee facilitators, wellness advisors) who stated availability, per month."""
    roles = dict(
        Membership.objects.active()
        .filter(program=program, role__in=(Role.FACILITATOR, Role.WELLNESS_ADVISOR))
        .order_by("-role")  # the last wins: a person in both roles counts as a trainee facilitator
        .values_list("user", "role")
    )
    stated = Availability.objects.filter(program=program, month__in=months, user__in=list(roles)).values_list(
        "user", "month"
    )
    training = defaultdict(list)
    for record in TrainingRecord.objects.filter(user__in=list(roles), kind=TrainingKind.FACILITATOR):
        training[record.user_id].append(record)
    today = timezone.localdate()
    counts: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for user_id, month in stated:
        if roles[user_id] == Role.WELLNESS_ADVISOR:
            counts[month][1] += 1
        elif any(record.is_current(max(month, today)) for record in training[user_id]):
            counts[month][0] += 1
    return {month: (n[0], n[1]) for month, n in counts.items()}


def short_of_facilitators(program_ids: set[int]) -> list[dict]:
    """For the coordinators' home: per program, the scheduled sessions still to come
    within the coverage horizon (this month and the next two, by the site's calendar)
    with fewer than two facilitators. One query, whatever the number of programs and
    sessions; the same facilitator count as the roster's coverage (`_sessions`)."""
    if not program_ids:
        return []
    months = coming_months_from(timezone.localdate().replace(day=1))
    after = months[-1].replace(year=months[-1].year + months[-1].month // 12, month=months[-1].month % 12 + 1)
    active = (
        Facilitation.objects.filter(session=OuterRef("pk"), active=True)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Session.objects.filter(
            program__in=program_ids, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now(), round_date__lt=after
        )
        .alias(facilitators=Coalesce(Subquery(active), 0))
        .filter(facilitators__lt=2)
        .values("program", "program__name")
        .annotate(count=Count("pk"), first=Min("starts_at"))
        .order_by("program__name")
    )
