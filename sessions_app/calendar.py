"""Calendar files. Entries are neutral ("PEERS session") and never list attendees:
who comes to a well-being group is private.

What Google Calendar and Outlook need, and every file here carries: VERSION, PRODID and
a METHOD (PUBLISH, or CANCEL with the ORGANIZER and the same UID); per event a UID that
stays the same for one person's place in one session, a UTC DTSTAMP, a SEQUENCE that
only grows (`CalendarEntry`), and start and end in the program's zone (TZID) with its
VTIMEZONE, so the time is right whatever zone the reader's calendar is in."""

import datetime
import zoneinfo
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.crypto import salted_hmac
from icalendar import Calendar, Event, vCalAddress, vText

from sessions_app.models import CalendarEntry, Session

PRODID = "-//PEERS//Peer programs//EN"
TITLE = "PEERS session"
BOOKED, FACILITATING = CalendarEntry.Role.BOOKED, CalendarEntry.Role.FACILITATING


def _host() -> str:
    return settings.PEERS_SITE_URL.split("//")[-1].split("/")[0]


def event_uid(session: Session, user_id: int, role: str) -> str:
    """Stable for one person's place in one session, across cancel and rebook; opaque, so
    a UID seen in one person's calendar names nobody."""
    person = salted_hmac("peers.calendar.uid", f"{user_id}:{role}").hexdigest()[:20]
    return f"peers-session-{session.pk}-{person}@{_host()}"


def revision_of(user_id: int, session: Session, role: str) -> int:
    entry = CalendarEntry.objects.filter(user=user_id, session=session, role=role).first()
    return entry.revision if entry else 0


def revision_bump(user_id: int, session: Session, role: str, *, first: int) -> int:
    """The next revision of a person's entry: `first` if it had none (0 for a first
    booking, 1 for a cancellation of an entry made before revisions were kept), else one
    more than the last. An SQL increment, so two files sent at once never share one."""
    try:
        with transaction.atomic():
            CalendarEntry.objects.create(user_id=user_id, session=session, role=role, revision=first)
            return first
    except IntegrityError:
        pass
    entry = CalendarEntry.objects.filter(user=user_id, session=session, role=role)
    entry.update(revision=F("revision") + 1)
    return entry.values_list("revision", flat=True).get()


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _organizer() -> vCalAddress:
    """The sending address: where a reply or a "remove from calendar" would go."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or "PEERS")
    return organizer


def _event(session: Session, *, uid: str, sequence: int, role: str, cancelled: bool = False) -> Event:
    zone = zoneinfo.ZoneInfo(session.program.time_zone)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.datetime.now(datetime.UTC).replace(microsecond=0))
    event.add("dtstart", session.starts_at.astimezone(zone).replace(microsecond=0))
    event.add("dtend", session.ends_at.astimezone(zone).replace(microsecond=0))
    event.add("summary", f"{TITLE} (co-facilitating)" if role == FACILITATING else TITLE)
    event.add("location", session.location or session.get_modality_display())
    url = settings.PEERS_SITE_URL + reverse("sessions:detail", args=[session.pk])
    event.add("url", url)
    event.add("description", f"Details and the join link: {url}")
    event.add("organizer", _organizer())
    event.add("status", "CANCELLED" if cancelled or session.status == Session.Status.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("sequence", sequence)
    return event


def _with_zones(calendar: Calendar, sessions: list[Session]) -> str:
    if sessions:
        days = [s.starts_at.date() for s in sessions]
        calendar.add_missing_timezones(
            first_date=min(days) - datetime.timedelta(days=366), last_date=max(days) + datetime.timedelta(days=366)
        )
    return calendar.to_ical().decode()


def session_ics(
    session: Session, *, user_id: int, role: str = BOOKED, cancelled: bool = False, bump: bool = True
) -> str:
    """A single-event file for one person: a confirmation, change or cancellation email,
    or the "add to calendar" download (`bump=False`: the revision as it is; a change of
    the session itself raised `session.sequence` instead).
    A confirmation after an earlier cancellation, and every cancellation, is a new
    revision, so calendar apps apply it rather than ignore it as stale."""
    if bump:
        revision = revision_bump(user_id, session, role, first=1 if cancelled else 0)
    else:
        revision = revision_of(user_id, session, role)
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    uid = event_uid(session, user_id, role)
    calendar.add_component(
        _event(session, uid=uid, sequence=session.sequence + revision, role=role, cancelled=cancelled)
    )
    return _with_zones(calendar, [session])


def feed_ics(user_id: int, bookings, facilitations, revisions: dict[tuple[int, str], int]) -> str:
    """A person's private feed: their booked seats and the sessions they co-facilitate,
    with the same UIDs and SEQUENCEs as the files they were emailed."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "My PEERS sessions")
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    places = [(b.session, BOOKED) for b in bookings] + [(f.session, FACILITATING) for f in facilitations]
    for session, role in places:
        sequence = session.sequence + revisions.get((session.pk, role), 0)
        calendar.add_component(_event(session, uid=event_uid(session, user_id, role), sequence=sequence, role=role))
    return _with_zones(calendar, [session for session, _ in places])
