"""What sessions contribute to the navigation and the "My PEERS" to-do list."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.registry import NavItem, TodoItem
from peers.selectors import memberships_active_for
from sessions_app.coverage import short_of_facilitators
from sessions_app.models import Booking, Facilitation, Session, WaitlistEntry
from sessions_app.round_selectors import round_next_unbooked_for
from sessions_app.selectors import FACILITATING, open_facilitation_slots_for, program_ids_for

JOIN_LINK_BEFORE = datetime.timedelta(minutes=30)
SHORTFALL_URGENT = datetime.timedelta(days=7)  # as the coverage alert: a week ahead


def nav(user, roles: set[str]) -> list[NavItem]:
    items = []
    if Role.TRAINEE in roles:
        items.append(NavItem("Sessions", reverse("sessions:list"), 10))
    if roles & {Role.TRAINEE, *FACILITATING}:
        items.append(NavItem("My sessions", reverse("sessions:mine"), 11))
    if roles & set(FACILITATING):
        items.append(NavItem("Facilitate", reverse("sessions:facilitate"), 12))
    coordinated = sorted(program_ids_for(user, (Role.COORDINATOR,)))
    if coordinated:
        items.append(NavItem("Facilitator roster", reverse("sessions:roster", args=[coordinated[0]]), 80))
    return items


def todos(user) -> list[TodoItem]:
    """My PEERS: offers waiting for an answer, my next session (its join link when it is
    near), other sessions this week, feedback to give, the next round I have not booked,
    and for facilitators their next sessions, attendance still to take and the open slots
    they could take. Two queries, one more for a trainee and two more for a facilitator."""
    roles = {membership.role for membership in memberships_active_for(user)}
    items = _offers(user) + _bookings(user)
    if Role.TRAINEE in roles:
        items += _next_round(user)
    if roles & set(FACILITATING):
        items += _facilitating(user) + _open_slots(user)
    if Role.COORDINATOR in roles:
        items += _shortfalls(user)
    return items


def _shortfalls(user) -> list[TodoItem]:
    """For a program's coordinators: the coming sessions (this month and the next two)
    still short of two facilitators, counted per program, linking to its roster, where
    the coverage by month shows which (one query)."""
    programs = {m.program_id for m in memberships_active_for(user) if m.role == Role.COORDINATOR}
    return [
        TodoItem(
            f"{row['count']} coming session{'s' if row['count'] != 1 else ''} short of two facilitators",
            f"{row['program__name']}, the first {_when(row['first'])}: find facilitators on the roster",
            reverse("sessions:roster", args=[row["program"]]),
            urgent=row["first"] <= timezone.now() + SHORTFALL_URGENT,
            due=row["first"],
        )
        for row in short_of_facilitators(programs)
    ]


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%a %b %-d at %H:%M}"


def _where(session) -> str:
    parts = [session.topic.title if session.topic_id else "", f"group {session.group_number}", session.location]
    return " · ".join(part for part in parts if part)


def _join_now(session, title: str) -> TodoItem | None:
    """The join link itself, from 30 minutes before the start until the end."""
    now = timezone.now()
    if session.join_link and session.starts_at - JOIN_LINK_BEFORE <= now < session.ends_at:
        return TodoItem(
            f"{title} at {timezone.localtime(session.starts_at):%H:%M}: join online",
            _where(session),
            session.join_link,
            urgent=True,
        )
    return None


def _offers(user) -> list[TodoItem]:
    offers = WaitlistEntry.objects.filter(user=user, status=WaitlistEntry.Status.OFFERED).select_related("session")
    return [
        TodoItem(
            f"A seat is held for you until {timezone.localtime(entry.offer_expires_at):%a %b %-d %H:%M}",
            f"Group {entry.session.group_number}, {_when(entry.session.starts_at)}. "
            "Take it or let it go to the next person.",
            reverse("sessions:detail", args=[entry.session_id]),
            urgent=True,
        )
        for entry in offers
    ]


def _bookings(user) -> list[TodoItem]:
    now = timezone.now()
    bookings = (
        Booking.objects.filter(
            user=user, status=Booking.Status.BOOKED, session__starts_at__gt=now - datetime.timedelta(days=14)
        )
        .select_related("session__topic")
        .order_by("session__starts_at")
    )
    items, upcoming = [], 0
    for booking in bookings:
        session = booking.session
        if session.ends_at > now and (upcoming == 0 or session.starts_at < now + datetime.timedelta(days=7)):
            upcoming += 1
            items.append(_booked_item(session, first=upcoming == 1))
        elif session.ends_at <= now and not booking.feedback_given and booking.attended is not False:
            items.append(
                TodoItem(
                    "How was your PEERS session?",
                    "Anonymous, under a minute.",
                    reverse("sessions:feedback", args=[booking.pk]),
                )
            )
    return items


def _booked_item(session, *, first: bool) -> TodoItem:
    """The next session says so, and becomes its join link when near; the week's others follow."""
    page = reverse("sessions:detail", args=[session.pk])
    if not first:
        return TodoItem(f"PEERS session {_when(session.starts_at)}", _where(session), page)
    near = _join_now(session, "Your PEERS session starts")
    return near or TodoItem(f"Your next PEERS session: {_when(session.starts_at)}", _where(session), page)


def _next_round(user) -> list[TodoItem]:
    """The next round I can book and have not (nor facilitate)."""
    lead = round_next_unbooked_for(user, after=timezone.now() + datetime.timedelta(hours=3))
    if lead is None:
        return []
    if lead.waiting_by_me or lead.offered_to_me:
        state = "you're on its waitlist"
    elif lead.seats_free:
        state = f"{lead.seats_free} seat{'s' if lead.seats_free != 1 else ''} left in {lead.groups} group" + (
            "s" if lead.groups != 1 else ""
        )
    else:
        state = "full: join its waitlist"
    topic = lead.topic.title if lead.topic_id else "PEERS session"
    return [
        TodoItem(
            f"Next round: {topic}, {_when(lead.starts_at)}",
            f"Not booked yet · {state}.",
            reverse("sessions:round", args=[lead.pk]),
        )
    ]


def _facilitating(user) -> list[TodoItem]:
    """My next three sessions to co-facilitate, and sessions of the last two weeks whose
    attendance is still to take (one query)."""
    now = timezone.now()
    unrecorded = Booking.objects.filter(session=OuterRef("session"), status=Booking.Status.BOOKED, attended=None)
    facilitations = (
        Facilitation.objects.filter(user=user, active=True, session__starts_at__gt=now - datetime.timedelta(days=14))
        .exclude(session__status=Session.Status.CANCELLED)
        .annotate(attendance_open=Exists(unrecorded))
        .select_related("session__topic")
        .order_by("session__starts_at")
    )
    items, upcoming = [], 0
    for facilitation in facilitations:
        session = facilitation.session
        if session.starts_at <= now and facilitation.attendance_open:
            items.append(
                TodoItem(
                    f"Take attendance: {_when(session.starts_at)}",
                    _where(session),
                    reverse("sessions:attendance", args=[session.pk]),
                    urgent=True,
                )
            )
        elif session.starts_at > now and upcoming < 3:
            upcoming += 1
            near = _join_now(session, "You co-facilitate") if upcoming == 1 else None
            items.append(
                near
                or TodoItem(
                    f"You co-facilitate {_when(session.starts_at)}",
                    _where(session),
                    reverse("sessions:detail", args=[session.pk]),
                )
            )
    return items


def _open_slots(user) -> list[TodoItem]:
    """Upcoming sessions short of a co-facilitator that `user` could take, the soonest named (one query)."""
    slots = list(open_facilitation_slots_for(user))
    if not slots:
        return []
    first = slots[0]
    many = f"{len(slots)} sessions need" if len(slots) != 1 else "A session needs"
    return [
        TodoItem(
            f"{many} a co-facilitator",
            f"The soonest: {_when(first.starts_at)}, {first.program.name}. Take a slot on the Facilitate page.",
            reverse("sessions:facilitate"),
            due=first.starts_at,
        )
    ]
