"""Calendar files. Entries are neutral ("PEERS session") and never list attendees:
who comes to a well-being group is private."""

import datetime

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from sessions_app.models import Session

PRODID = "-//PEERS//Peer programs//EN"
TITLE = "PEERS session"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _event(session, *, cancelled: bool = False, role: str = "") -> Event:
    event = Event()
    event.add("uid", f"peers-session-{session.pk}@{settings.PEERS_SITE_URL.split('//')[-1].split('/')[0]}")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{TITLE} (co-facilitating)" if role == "facilitator" else TITLE)
    place = session.location or session.get_modality_display()
    event.add("location", place)
    url = settings.PEERS_SITE_URL + reverse("sessions:detail", args=[session.pk])
    event.add("url", url)
    event.add("description", f"Details and the join link: {url}")
    event.add("status", "CANCELLED" if cancelled or session.status == Session.Status.CANCELLED else "CONFIRMED")
    event.add("sequence", session.sequence + (1 if cancelled else 0))
    return event


def session_ics(session, *, cancelled: bool = False) -> str:
    """A single-event file for a confirmation or cancellation email."""
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_event(session, cancelled=cancelled))
    return calendar.to_ical().decode()


def feed_ics(bookings, facilitations) -> str:
    """A person's private feed: their booked seats and the sessions they co-facilitate."""
    calendar = _calendar()
    calendar.add("x-wr-calname", "My PEERS sessions")
    for booking in bookings:
        calendar.add_component(_event(booking.session))
    for facilitation in facilitations:
        calendar.add_component(_event(facilitation.session, role="facilitator"))
    return calendar.to_ical().decode()
