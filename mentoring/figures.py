"""Mentoring figures for the figures pages (peers/figures), computed by PostgreSQL.

- On time, by channel: contacts whose deadline fell in the period and has passed;
  answered by the deadline among them. A contact not yet due counts nowhere (it may
  still be answered on time).
- Escalations by step: of those contacts, how many reached each step.
- Duty compliance: per month, the share of the period's mentees contacted that month (a
  meeting, an outreach, or an answered contact); per term of the figures page, the share
  met at a meeting in the term, overall and by faculty mentor. A mentee counts in a month
  or term when their cycle runs during it, under the pair they are in now, and only with
  what that pair did (a moved mentee's earlier meetings stay with the pair they left).
- Selection and pairing, per cycle that runs during the period.

Only published pairs count anywhere here: a draft proposal and the students placed in it
are still under review. A dissolved pair keeps its history (by term, under the pair its
mentees are in now); the cycle row counts it apart from the pairs that run.
"""

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.models import Application, Contact, Mentee, MentoringCycle, MentorPair
from peers.figures import Period


def contacts_due(program, period: Period):
    start, end = period.bounds(program.time_zone)
    now = timezone.now()
    return Contact.objects.filter(pair__cycle__program=program, due_at__gte=start, due_at__lt=end, due_at__lte=now)


def on_time_by_channel(program, period: Period) -> dict[str, dict]:
    rows = (
        contacts_due(program, period)
        .values("channel")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(answered_at__lte=F("due_at"))))
        .order_by()
    )
    return {row["channel"]: row for row in rows}


def escalations(program, period: Period) -> dict:
    return contacts_due(program, period).aggregate(
        due=Count("pk"),
        mentors=Count("pk", filter=Q(mentors_alerted_at__isnull=False)),
        faculty=Count("pk", filter=Q(faculty_alerted_at__isnull=False)),
        coordinator=Count("pk", filter=Q(coordinator_alerted_at__isnull=False)),
    )


_CONTACTED_SQL = """
WITH months AS (
    SELECT generate_series(%(start)s::date, %(last)s::date, interval '1 month')::date AS month
), enrolled AS (
    SELECT m.month, me.id AS mentee_id, me.pair_id
    FROM months m
    JOIN mentoring_mentoringcycle c ON c.starts_on < (m.month + interval '1 month') AND c.ends_on >= m.month
    JOIN mentoring_mentee me ON me.cycle_id = c.id
    JOIN mentoring_mentorpair p ON p.id = me.pair_id AND p.published_at IS NOT NULL
    WHERE c.program_id = %(program)s
), touched AS (
    SELECT date_trunc('month', mt.held_on)::date AS month, mm.mentee_id, mt.pair_id
    FROM mentoring_meeting mt JOIN mentoring_meeting_mentees mm ON mm.meeting_id = mt.id
    WHERE mt.held_on >= %(start)s AND mt.held_on < %(end)s AND mt.held_on <= %(today)s
    UNION
    SELECT date_trunc('month', o.on)::date, o.mentee_id, o.pair_id FROM mentoring_outreach o
    WHERE o.on >= %(start)s AND o.on < %(end)s AND o.on <= %(today)s
    UNION
    SELECT date_trunc('month', ct.answered_at AT TIME ZONE %(zone)s)::date, ct.mentee_id, ct.pair_id
    FROM mentoring_contact ct
    WHERE ct.answered_at >= %(start_at)s AND ct.answered_at < %(end_at)s
)
SELECT e.month, count(*) AS mentees, count(t.mentee_id) AS contacted
FROM enrolled e LEFT JOIN touched t ON t.month = e.month AND t.mentee_id = e.mentee_id AND t.pair_id = e.pair_id
GROUP BY e.month
"""

_MET_SQL = """
SELECT terms.key, u.name, p.id, count(*) AS mentees, count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM mentoring_meeting mt JOIN mentoring_meeting_mentees mm ON mm.meeting_id = mt.id
    WHERE mm.mentee_id = me.id AND mt.pair_id = me.pair_id
        AND mt.held_on >= terms.starts AND mt.held_on < terms.ends AND mt.held_on <= %(today)s
)) AS met, grouping(u.name) AS no_faculty, grouping(p.id) AS no_pair
FROM (SELECT * FROM unnest(%(keys)s::text[], %(starts)s::date[], %(ends)s::date[]) AS t(key, starts, ends)) terms
JOIN mentoring_mentoringcycle c ON c.starts_on < terms.ends AND c.ends_on >= terms.starts
JOIN mentoring_mentee me ON me.cycle_id = c.id
JOIN mentoring_mentorpair p ON p.id = me.pair_id AND p.published_at IS NOT NULL
JOIN peers_user u ON u.id = p.faculty_mentor_id
WHERE c.program_id = %(program)s
GROUP BY GROUPING SETS ((terms.key, u.name), (terms.key, p.id), (terms.key))
"""


def contacted_by_month(program, period: Period) -> dict:
    """{month: (mentees, contacted)} in one query."""
    start_at, end_at = period.bounds(program.time_zone)
    params = {
        "start": period.start,
        "last": period.months()[-1],
        "end": period.end,
        "today": timezone.localdate(),
        "program": program.pk,
        "zone": program.time_zone,
        "start_at": start_at,
        "end_at": min(end_at, timezone.now()),
    }
    with connection.cursor() as cursor:
        cursor.execute(_CONTACTED_SQL, params)
        return {month: (mentees, contacted) for month, mentees, contacted in cursor.fetchall()}


def met_by_term(program, period: Period) -> dict:
    """{(term key, "faculty" or "pair", its name or id): (mentees, met)}, and (term key,
    None, None) for all, in one query."""
    terms = period.terms()
    params = {
        "keys": [t.key for t in terms],
        "starts": [t.start for t in terms],
        "ends": [t.end for t in terms],
        "today": timezone.localdate(),
        "program": program.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(_MET_SQL, params)
        rows = cursor.fetchall()
    return {
        (key, None if no_faculty and no_pair else "faculty" if no_pair else "pair", name if no_pair else pair): (n, met)
        for key, name, pair, n, met, no_faculty, no_pair in rows
    }


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) of `queryset` per cycle (one subquery, no join blow-up)."""
    counted = queryset.order_by().values("cycle").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def cycles(program, period: Period):
    """The cycles running during the period, with their selection and pairing counts:
    the published pairs still running, those dissolved, and the mentees of published
    pairs (a draft proposal, still under review, counts nowhere)."""
    applications = Application.objects.filter(cycle=OuterRef("pk"))
    return (
        MentoringCycle.objects.filter(program=program, starts_on__lt=period.end, ends_on__gte=period.start)
        .annotate(
            n_applications=_count(applications),
            n_interviewed=_count(applications.filter(interview__isnull=False)),
            n_selected=_count(applications.filter(status=Application.Status.SELECTED)),
            n_waitlisted=_count(applications.filter(status=Application.Status.WAITLISTED)),
            n_pairs=_count(MentorPair.objects.current().filter(cycle=OuterRef("pk"))),
            n_dissolved=_count(MentorPair.objects.published().filter(cycle=OuterRef("pk"), dissolved_at__isnull=False)),
            n_mentees=_count(Mentee.objects.filter(cycle=OuterRef("pk"), pair__published_at__isnull=False)),
        )
        .order_by("starts_on")
    )


def pairs(program, period: Period):
    """The published pairs of the cycles running during the period, with their mentors (one query)."""
    return (
        MentorPair.objects.published()
        .filter(cycle__program=program, cycle__starts_on__lt=period.end, cycle__ends_on__gte=period.start)
        .select_related("third_year", "fourth_year")
    )
