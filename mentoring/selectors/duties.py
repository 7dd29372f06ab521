"""Who is on duty for a pair, and how each mentee's duties stand."""

import datetime
import functools
import zoneinfo

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Extract
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from mentoring.clock import program_today
from mentoring.models import AwayNotice, Contact, Meeting, Mentee, MentorPair, Outreach
from peers.models import Notification, User


def on_duty(*, pair: MentorPair, day: datetime.date) -> list[User]:
    """Who answers for the pair on `day`: the mentors not away; if both are away, the faculty mentor."""
    return on_duty_by_pair(pairs=[pair], day=day)[pair.pk]


def on_duty_by_pair(*, pairs: list[MentorPair], day: datetime.date) -> dict[int, list[User]]:
    """`on_duty` for many pairs in one query (their mentors loaded with them)."""
    away = set(
        AwayNotice.objects.filter(pair__in=pairs, starts_on__lte=day, ends_on__gte=day).values_list(
            "pair_id", "mentor_id"
        )
    )
    duty = {}
    for pair in pairs:
        present = [mentor for mentor in pair.mentors() if (pair.pk, mentor.pk) not in away]
        duty[pair.pk] = present or [pair.faculty_mentor]
    return duty


def on_duty_today_by_pair(*, pairs: list[MentorPair]) -> dict[int, list[User]]:
    """`on_duty` for many pairs, each on its own program's today, in one query (their
    mentors and programs loaded with them)."""
    if not pairs:
        return {}
    days = {pair.pk: program_today(pair.cycle.program) for pair in pairs}
    notices = AwayNotice.objects.filter(
        pair__in=pairs, starts_on__lte=max(days.values()), ends_on__gte=min(days.values())
    ).values_list("pair_id", "mentor_id", "starts_on", "ends_on")
    away = {(pair_id, mentor_id) for pair_id, mentor_id, starts, ends in notices if starts <= days[pair_id] <= ends}
    duty = {}
    for pair in pairs:
        present = [mentor for mentor in pair.mentors() if (pair.pk, mentor.pk) not in away]
        duty[pair.pk] = present or [pair.faculty_mentor]
    return duty


def duty_status(*, pair: MentorPair, today: datetime.date) -> dict[int, dict]:
    return duty_statuses(pairs=[pair], today=today, zone=pair.cycle.program.time_zone)


def duty_statuses(
    *, pairs: list[MentorPair], today: datetime.date, zone: str | None = None, mentees_loaded: bool = False
) -> dict[int, dict]:
    """Per mentee of the pairs (of one program, whose `zone` and `today` are given):
    met this semester, contacted this month (a meeting, an outreach, or an answered
    contact), by the mentee's pair now: a row made with an earlier pair stays that
    pair's and counts nowhere here. Four queries, however many pairs (three when
    `mentees_loaded`: the pairs' mentees are prefetched, as `MentorPair.objects.with_people()` does)."""
    if not pairs:
        return {}
    month_start = today.replace(day=1)
    tz = zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone()
    month_began = datetime.datetime.combine(month_start, datetime.time.min, tzinfo=tz)
    met, contacted = _met_and_contacted_at_meetings(pairs, today, month_start)
    contacted |= set(
        Outreach.objects.filter(pair__in=pairs, on__gte=month_start, on__lte=today).values_list("pair_id", "mentee_id")
    )
    contacted |= set(
        Contact.objects.filter(pair__in=pairs, answered_at__gte=month_began).values_list("pair_id", "mentee_id")
    )
    if mentees_loaded:
        places = [(pair.pk, mentee.pk) for pair in pairs for mentee in pair.mentees.all()]
    else:
        places = Mentee.objects.filter(pair__in=pairs).values_list("pair_id", "pk")
    return {pk: {"met": (pair, pk) in met, "contacted": (pair, pk) in contacted} for pair, pk in places}


def _met_and_contacted_at_meetings(
    pairs: list[MentorPair], today: datetime.date, month_start: datetime.date
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(pair, mentee) met this semester and met this month, at the pair's meetings."""
    semester_starts = {pair.pk: (pair.cycle.semester_of(today) or (None, None))[0] for pair in pairs}
    meetings = Meeting.objects.filter(pair__in=pairs, held_on__lte=today).values_list("pair_id", "held_on", "mentees")
    met, contacted = set(), set()
    for pair_id, held_on, mentee_id in meetings:
        if semester_starts[pair_id] and held_on >= semester_starts[pair_id]:
            met.add((pair_id, mentee_id))
        if held_on >= month_start:
            contacted.add((pair_id, mentee_id))
    return met, contacted


def duty_reminder_candidates(*, now: datetime.datetime) -> "QuerySet[MentorPair]":
    """The running (published, not dissolved) pairs of running cycles owed a duty reminder; each
    pair's day is the program's (`local_today`, in its time zone).

    A pair is owed one when, from the 21st, a mentee was not contacted this month, or,
    past mid-semester, a mentee was not met this semester, and that reminder has not
    yet gone to each mentor who is not away that day (its dedupe keys, as
    mentoring.notify.mentor_duty writes them). Each pair carries `local_today`,
    `missing_contact`, `missing_met`, `third_away` and `fourth_away`.

    1. One query finds the pairs that could be owed one today, from the day and the
       dedupe keys alone (SQL compiled once a process: a sweep with nothing due costs this
       one light query however many pairs run).
    2. Only if there are some, the second counts their mentees not contacted or not met."""
    could = could_be_owed_ids(now=now)
    if not could:
        return MentorPair.objects.none()
    contact_owed, meeting_owed = _owed_today()
    pairs = (
        _running_pairs(now)
        .filter(pk__in=could)
        .select_related("cycle__program", "third_year", "fourth_year")
        .annotate(third_away=_away("third_year_id"), fourth_away=_away("fourth_year_id"))
        .annotate(missing_contact=_count_mentees(~_contacted()), missing_met=_count_mentees(~_met()))
    )
    return pairs.filter(
        Q(_only_if(contact_owed, then=GreaterThan(F("missing_contact"), 0)))
        | Q(_only_if(meeting_owed, then=GreaterThan(F("missing_met"), 0)))
    )


def could_be_owed_ids(*, now: datetime.datetime) -> list[int]:
    """The running pairs that could be owed a duty reminder today (the day is the 21st or later
    and this month's has not gone to each mentor present, or a semester milestone is passed
    and its reminder has not): one query, whose SQL is compiled once with a stand-in `now`
    (compiling it took longer than running it)."""
    sql, params = _could_be_owed_sql()
    stand_ins = {_STAND_IN: now, _earliest(_STAND_IN): _earliest(now)}
    params = [stand_ins.get(param, param) if type(param) in _STAND_IN_TYPES else param for param in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


_STAND_IN = datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)
_STAND_IN_TYPES = (datetime.datetime, datetime.date)


@functools.cache
def _could_be_owed_sql() -> tuple[str, tuple]:
    contact_owed, meeting_owed = _owed_today()
    pairs = _running_pairs(_STAND_IN).annotate(third_away=_away("third_year_id"), fourth_away=_away("fourth_year_id"))
    query = pairs.filter(contact_owed | meeting_owed).values_list("pk").query
    sql, params = query.sql_with_params()
    assert _STAND_IN in params, "the stand-in for now is not among the parameters"
    return sql, params


def _earliest(now: datetime.datetime) -> datetime.date:
    return (now - datetime.timedelta(days=1)).date()  # no zone is more than a day behind UTC


def _running_pairs(now: datetime.datetime) -> "QuerySet[MentorPair]":
    """The running pairs of running cycles, each with its program's day, month and semester."""
    return (
        MentorPair.objects.current()  # a dissolved pair is reminded of nothing
        .filter(cycle__ends_on__gte=_earliest(now))
        .annotate(zone=F("cycle__program__time_zone"))
        .annotate(local_today=Cast(Func(F("zone"), Value(now), function="timezone"), DateField()))
        .filter(cycle__ends_on__gte=F("local_today"))
        .annotate(month_start=Cast(Func(Value("month"), F("local_today"), function="date_trunc"), DateField()))
        .annotate(semester_start=_semester_bound("starts_on"), semester_end=_semester_bound("ends_on"))
        .alias(
            local_day=Extract("local_today", "day"),
            days_in=_days(F("local_today"), F("semester_start")),
            days_left=_days(F("semester_end"), F("local_today")),
        )
    )


def _owed_today() -> tuple[Q, Q]:
    """(the monthly contact reminder, a meeting reminder) could be owed today: the day, the
    semester's milestones and the dedupe keys, without counting any mentee."""
    month_key = Concat(Value("month-"), _to_char(OuterRef("local_today"), "YYYY-MM"), output_field=CharField())
    contact_owed = Q(local_day__gte=21) & ~_reminded(month_key)
    mid_reached = Q(semester_start__isnull=False) & Q(
        days_in__gte=ExpressionWrapper(_days(F("semester_end"), F("semester_start")) / 2, output_field=IntegerField())
    )
    late_reached = Q(semester_start__isnull=False, days_left__lte=21)
    meeting_owed = (mid_reached & ~_reminded(_meet_key("mid"))) | (late_reached & ~_reminded(_meet_key("late")))
    return contact_owed, meeting_owed


def _only_if(cheap: Q, *, then) -> Case:
    """`then` (a per-mentee count) where `cheap` (the day, the dedupe keys) holds, else false:
    PostgreSQL evaluates a CASE's branches in order, so a pair that cannot be owed this
    reminder today never reads the contacts, meetings and outreach (a sweep with nothing
    due stays cheap however many pairs run). A plain AND leaves the order to the planner."""
    return Case(When(cheap, then=then), default=Value(False), output_field=BooleanField())


def _semester_bound(bound: str) -> Case:
    """The start or end of the semester containing the pair's day (fall, then spring),
    as MentoringCycle.semester_of picks it."""
    return Case(
        *(
            When(
                Q(
                    **{
                        f"cycle__{term}_starts_on__lte": F("local_today"),
                        f"cycle__{term}_ends_on__gte": F("local_today"),
                    }
                ),
                then=F(f"cycle__{term}_{bound}"),
            )
            for term in ("fall", "spring")
        ),
        default=None,
        output_field=DateField(),
    )


def _away(mentor: str) -> Exists:
    """The mentor is away on the pair's day: they are not reminded."""
    day = OuterRef("local_today")
    return Exists(
        AwayNotice.objects.filter(pair=OuterRef("pk"), mentor=OuterRef(mentor), starts_on__lte=day, ends_on__gte=day)
    )


def _days(later, earlier) -> Func:
    """Whole days between two dates (PostgreSQL's date - date)."""
    return Func(later, earlier, template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())


def _to_char(value, pattern: str) -> Func:
    return Func(value, Value(pattern), function="to_char", output_field=CharField())


def _count_mentees(condition: Exists) -> Coalesce:
    mentees = Mentee.objects.filter(condition, pair=OuterRef("pk")).order_by().values("pair")
    return Coalesce(Subquery(mentees.annotate(n=Count("pk")).values("n")), 0)


def _contacted() -> Q:
    """A meeting, an outreach or an answered contact this month (as duty_statuses), in
    the program's zone, made with this pair (not one the mentee was moved from): the
    pair's values are two levels out (pair > mentee > row)."""
    today, month_start = OuterRef(OuterRef("local_today")), OuterRef(OuterRef("month_start"))
    month_began = Func(OuterRef(OuterRef("zone")), month_start, template="timezone(%(expressions)s::timestamp)")
    in_pair = {"pair": OuterRef("pair_id")}
    return (
        Exists(Meeting.objects.filter(mentees=OuterRef("pk"), **in_pair, held_on__gte=month_start, held_on__lte=today))
        | Exists(Outreach.objects.filter(mentee=OuterRef("pk"), **in_pair, on__gte=month_start, on__lte=today))
        | Exists(Contact.objects.filter(mentee=OuterRef("pk"), **in_pair, answered_at__gte=month_began))
    )


def _met() -> Exists:
    semester_start, today = OuterRef(OuterRef("semester_start")), OuterRef(OuterRef("local_today"))
    return Exists(
        Meeting.objects.filter(
            mentees=OuterRef("pk"), pair=OuterRef("pair_id"), held_on__gte=semester_start, held_on__lte=today
        )
    )


def _meet_key(label: str) -> Concat:
    """meet-<semester start>-<label>, read from the pair's row."""
    start = _to_char(OuterRef("semester_start"), "YYYY-MM-DD")
    return Concat(Value("meet-"), start, Value(f"-{label}"), output_field=CharField())


def _reminded(key) -> Q:
    """Each mentor not away that day already holds the reminder with this key (an empty
    seat has nobody to remind)."""
    return Q(
        Q(third_year__isnull=True) | Q(third_away=True) | Q(_holds(key, "third_year_id")),
        Q(fourth_year__isnull=True) | Q(fourth_away=True) | Q(_holds(key, "fourth_year_id")),
    )


def _holds(key, mentor: str) -> Exists:
    dedupe_key = Concat(
        Value("duty:"),
        Cast(OuterRef("pk"), CharField()),
        Value(":"),
        key,
        Value(":"),
        Cast(OuterRef(mentor), CharField()),
        output_field=CharField(),
    )
    return Exists(Notification.objects.filter(dedupe_key=dedupe_key))


def own_away_notices(*, user: User, pairs: list[MentorPair], day: datetime.date) -> list[AwayNotice]:
    """`user`'s away notices that are current or still to come on `day`, soonest first,
    each with its pair (from `pairs`, already loaded, so the page names the partner who
    answers meanwhile). One query (none without pairs); a notice ended before it began
    is away on no day, so it is not here."""
    by_pk = {pair.pk: pair for pair in pairs if pair.has_peer_mentor(user)}
    if not by_pk:
        return []
    notices = AwayNotice.objects.filter(mentor=user, pair_id__in=by_pk, ends_on__gte=day).order_by("starts_on", "pk")
    return _own_notices(user, by_pk, notices, day)


def on_duty_and_own_away(
    *, user: User, pairs: list[MentorPair], day: datetime.date | None
) -> tuple[dict[int, list[User]], list[AwayNotice]]:
    """`on_duty_by_pair` and `own_away_notices` for the mentoring page, from one read of
    the pairs' away notices not over by `day` (none without pairs)."""
    if not pairs:
        return {}, []
    notices = list(AwayNotice.objects.filter(pair__in=pairs, ends_on__gte=day).order_by("starts_on", "pk"))
    away = {(notice.pair_id, notice.mentor_id) for notice in notices if notice.starts_on <= day}
    duty = {}
    for pair in pairs:
        present = [mentor for mentor in pair.mentors() if (pair.pk, mentor.pk) not in away]
        duty[pair.pk] = present or [pair.faculty_mentor]
    by_pk = {pair.pk: pair for pair in pairs if pair.has_peer_mentor(user)}
    own = [notice for notice in notices if notice.mentor_id == user.pk and notice.pair_id in by_pk]
    return duty, _own_notices(user, by_pk, own, day)


def _own_notices(user: User, by_pk: dict[int, MentorPair], notices, day: datetime.date) -> list[AwayNotice]:
    """The notices that are away on some day (not ended before they began), each with its
    pair, whether it is current, and the partner who answers meanwhile."""
    shown = [notice for notice in notices if notice.ends_on >= notice.starts_on]
    for notice in shown:
        notice.pair = by_pk[notice.pair_id]
        notice.current = notice.starts_on <= day
        notice.partner = notice.pair.partner_of(user)
    return shown
