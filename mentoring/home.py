from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from mentoring import access, selectors
from mentoring.models import COHORT_MAX, COHORT_MIN, ChangeRequest, Contact, Mentee, MentorPair
from peers.models import Role
from peers.registry import NavItem, TodoItem, time_left
from peers.selectors import program_ids_with_role

MENTORING_PAGE_ROLES = {Role.PEER_MENTOR, Role.FACULTY_MENTOR, Role.TRAINEE}
INTERVIEWER_ROLES = {Role.FACULTY_MENTOR, Role.COORDINATOR}
REFERRAL_RECIPIENT_ROLES = (Role.FACULTY_MENTOR, Role.COORDINATOR)


def nav(user, roles: set[str]) -> list[NavItem]:
    items = []
    if roles & MENTORING_PAGE_ROLES:
        items.append(NavItem("Mentoring", reverse("mentoring:home"), 20))
    if Role.COORDINATOR in roles:
        items.append(NavItem("Mentoring figures", reverse("mentoring:figures"), 86))
    if roles & INTERVIEWER_ROLES:
        items.append(NavItem("Interviews", reverse("mentoring:interviews"), 87))
    return items


def todos(user) -> list[TodoItem]:
    return (
        _waiting_contacts(user)
        + _covering_contacts(user)
        + _referrals_to_acknowledge(user)
        + _change_requests_open(user)
        + _escalated_contacts(user)
        + _cohorts_out_of_bounds(user)
    )


def _escalated_contacts(user) -> list[TodoItem]:
    """For a program's coordinators: mentee contacts still unanswered after the last
    escalation, which reached them; a count and the earliest deadline (one query), linking
    to the contacts' admin list filtered to them (metadata only, never the message)."""
    programs = program_ids_with_role(user, Role.COORDINATOR)
    if not programs:
        return []
    row = Contact.objects.filter(
        pair__cycle__program__in=programs, answered_at__isnull=True, coordinator_alerted_at__isnull=False
    ).aggregate(count=Count("pk"), first=Min("due_at"))
    if not row["count"]:
        return []
    now = timezone.now()
    return [
        TodoItem(
            f"{row['count']} mentee contact{'s' if row['count'] != 1 else ''} escalated to you, still unanswered",
            f"The oldest was due {timezone.localtime(row['first']):%a %b %-d %H:%M} ({time_left(row['first'], now)}): "
            "check in with the pairs",
            reverse("admin:mentoring_contact_changelist") + "?answered_at__isempty=1&coordinator_alerted_at__isempty=0",
            urgent=True,
            due=row["first"],
        )
    ]


def _cohorts_out_of_bounds(user) -> list[TodoItem]:
    """For a program's coordinators: per cycle not yet over, the pairs (published or
    draft, not dissolved) whose cohort is outside COHORT_MIN-COHORT_MAX mentees (one
    query), linking to the pairs' review page for that cycle."""
    programs = program_ids_with_role(user, Role.COORDINATOR)
    if not programs:
        return []
    size = Mentee.objects.filter(pair=OuterRef("pk")).order_by().values("pair").annotate(n=Count("pk")).values("n")
    rows = (
        MentorPair.objects.filter(
            cycle__program__in=programs, cycle__ends_on__gte=timezone.localdate(), dissolved_at__isnull=True
        )
        .alias(size=Coalesce(Subquery(size), 0))
        .exclude(size__gte=COHORT_MIN, size__lte=COHORT_MAX)
        .values("cycle", "cycle__name")
        .annotate(
            drafts=Count("pk", filter=Q(published_at__isnull=True)),
            published=Count("pk", filter=Q(published_at__isnull=False)),
        )
        .order_by("cycle__name")
    )
    return [
        TodoItem(
            f"{row['drafts'] + row['published']} mentoring pair(s) with a cohort outside {COHORT_MIN}-{COHORT_MAX}",
            f"{row['cycle__name']}: {row['drafts']} draft, {row['published']} published; review the cohorts",
            reverse("admin:mentoring_mentorpair_changelist") + f"?cycle__id__exact={row['cycle']}",
        )
        for row in rows
    ]


def _change_requests_open(user) -> list[TodoItem]:
    """Open requests for a change, one to-do per cycle (one query, for coordinators only;
    the text stays on the re-pairing page, where each read is logged)."""
    if not program_ids_with_role(user, Role.COORDINATOR):
        return []
    cycles = (
        ChangeRequest.objects.filter(access.change_request_seen_by(user), resolved_at__isnull=True)
        .values("pair__cycle", "pair__cycle__name")
        .annotate(count=Count("pk"))
        .order_by("pair__cycle")
    )
    return [
        TodoItem(
            f"{row['count']} private request(s) for a change in mentoring",
            f"{row['pair__cycle__name']}: read and resolve them",
            reverse("mentoring:repairing", args=[row["pair__cycle"]]),
            urgent=False,
        )
        for row in cycles
    ]


def _covering_contacts(user) -> list[TodoItem]:
    """For a faculty mentor covering a pair (both its peer mentors away): its waiting
    contacts, each linking to its thread (one query, for faculty mentors only)."""
    if not program_ids_with_role(user, Role.FACULTY_MENTOR):
        return []
    return [
        TodoItem(
            f"{c.mentee.user.get_short_name()} is waiting for your answer: you cover for the peer mentors",
            f"{c.get_channel_display()}, due {timezone.localtime(c.due_at):%a %b %-d %H:%M}: reply in the app",
            reverse("mentoring:thread", args=[c.pk]),
            urgent=c.due_at <= timezone.now(),
        )
        for c in selectors.waiting_for_covering_faculty(user=user, now=timezone.now())
    ]


def _referrals_to_acknowledge(user) -> list[TodoItem]:
    """Referrals sent to `user` not yet acknowledged (one query, for faculty mentors and
    coordinators only: nobody else receives one)."""
    if not program_ids_with_role(user, *REFERRAL_RECIPIENT_ROLES):
        return []
    waiting = selectors.referrals_for(user=user).filter(acknowledged_at__isnull=True).exclude(mentor=user)
    return [
        TodoItem(
            f"A referral from {r.mentor.get_full_name() if r.mentor else 'a mentor'} waits for you",
            f"{r.get_category_display()}, {timezone.localtime(r.created_at):%a %b %-d}: acknowledge it",
            reverse("mentoring:referral_detail", args=[r.pk]),
            urgent=False,
        )
        for r in waiting
    ]


def _waiting_contacts(user) -> list[TodoItem]:
    """Unanswered mentee contacts of my pair (one query, and two per pair for the
    statement). A peer mentor who has not accepted the disclosure statement is told a
    mentee waits, never who."""
    waiting = list(selectors.waiting_for_peer_mentor(user=user))
    now = timezone.now()
    named = {c.pair_id: access.disclosure_accepted(user=user, pair=c.pair) for c in waiting}
    return [
        TodoItem(
            f"{c.mentee.user.get_short_name() if named[c.pair_id] else 'A mentee'} is waiting for your answer",
            f"{c.get_channel_display()}, answer by {timezone.localtime(c.due_at):%a %b %-d %H:%M}: "
            f"{time_left(c.due_at, now)}",
            reverse("mentoring:home"),
            urgent=c.due_at <= now,
            due=c.due_at,
        )
        for c in waiting
    ]
