"""What sessions contribute to the navigation and the "My PEERS" to-do list."""

import datetime

from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.registry import NavItem, TodoItem
from sessions_app.models import Booking, WaitlistEntry
from sessions_app.selectors import FACILITATING, program_ids_for


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
    """Offers waiting for an answer, sessions in the next week, feedback to give (two queries)."""
    items = []
    for entry in WaitlistEntry.objects.filter(user=user, status=WaitlistEntry.Status.OFFERED).select_related("session"):
        items.append(
            TodoItem(
                f"A seat is held for you until {timezone.localtime(entry.offer_expires_at):%a %b %-d %H:%M}",
                "Take it or let it go to the next person.",
                reverse("sessions:detail", args=[entry.session_id]),
                urgent=True,
            )
        )
    now = timezone.now()
    bookings = Booking.objects.filter(
        user=user,
        status=Booking.Status.BOOKED,
        session__starts_at__gt=now - datetime.timedelta(days=14),
        session__starts_at__lt=now + datetime.timedelta(days=7),
    ).select_related("session__topic")
    for booking in bookings:
        session = booking.session
        if session.starts_at > now:
            items.append(
                TodoItem(
                    f"PEERS session {timezone.localtime(session.starts_at):%a %b %-d at %H:%M}",
                    session.topic.title if session.topic else "",
                    reverse("sessions:detail", args=[session.pk]),
                )
            )
        elif session.ends_at <= now and not booking.feedback_given and booking.attended is not False:
            items.append(
                TodoItem(
                    "How was your PEERS session?",
                    "Anonymous, under a minute.",
                    reverse("sessions:feedback", args=[booking.pk]),
                )
            )
    return items
