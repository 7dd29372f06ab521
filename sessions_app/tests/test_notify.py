"""Every sessions notification, rendered through its function in sessions_app/notify.py for
a recipient in Tokyo while the program and the server keep Toronto time and the person who
caused it sits in Vancouver: each time reads in Tokyo time, with the zone named."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from peers.models import Notification
from peers.tests.factories import UserFactory
from sessions_app import notify
from sessions_app.models import Booking, Facilitation, WaitlistEntry
from sessions_app.tests.factories import SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db

STARTS_AT = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=datetime.UTC)  # 09:30 in Toronto
IN_TOKYO = "Tue Dec 8, 2026, 23:30 JST"
IN_TORONTO = "09:30"
EXPIRES_AT = datetime.datetime(2026, 12, 7, 20, 0, tzinfo=datetime.UTC)
EXPIRY_IN_TOKYO = "Tue Dec 8, 2026, 05:00 JST"


@pytest.fixture
def tokyo(db):
    return UserFactory(email="tokyo@example.edu", time_zone="Asia/Tokyo")


@pytest.fixture
def session(program):
    assert program.time_zone == settings.TIME_ZONE == "America/Toronto"
    series = SeriesFactory(program=program)
    return SessionFactory(program=program, series=series, starts_at=STARTS_AT, location="Room 3.01")


def _booking(session, person):
    return Booking.objects.create(session=session, user=person, round_key=f"session:{session.pk}")


def _offer(session, person):
    return WaitlistEntry.objects.create(
        session=session,
        user=person,
        status=WaitlistEntry.Status.OFFERED,
        offered_at=EXPIRES_AT - datetime.timedelta(hours=12),
        offer_expires_at=EXPIRES_AT,
    )


SENDERS = {
    "booking_confirmed": lambda session, person: notify.booking_confirmed(_booking(session, person)),
    "booking_cancelled": lambda session, person: notify.booking_cancelled(_booking(session, person)),
    "booking_made_for": lambda session, person: notify.booking_made_for(_booking(session, person)),
    "booking_removed": lambda session, person: notify.booking_removed(_booking(session, person)),
    "booking_moved": lambda session, person: notify.booking_moved(_booking(session, person), session),
    "waitlist_promoted": lambda session, person: notify.waitlist_promoted(_booking(session, person), None),
    "session_message": lambda session, person: notify.session_message(
        session, [person], subject="A word before we meet", text="Bring a pen.", digest="d"
    ),
    "series_changed": lambda session, person: notify.series_changed(session.series, person, [session]),
    "waitlist_offer": lambda session, person: notify.waitlist_offer(_offer(session, person)),
    "session_cancelled": lambda session, person: notify.session_cancelled(session, person, facilitating=False),
    "session_changed": lambda session, person: notify.session_changed(session, person),
    "session_reminder": lambda session, person: notify.session_reminder(session, person, facilitating=False),
    "attendance_request": lambda session, person: notify.attendance_request(
        Facilitation.objects.create(session=session, user=person, slot=1)
    ),
    "feedback_request": lambda session, person: notify.feedback_request(_booking(session, person)),
    "coverage_alert": lambda session, person: notify.coverage_alert(session, person, facilitators=1),
}
WITH_CALENDAR = {
    "booking_confirmed",
    "booking_cancelled",
    "session_cancelled",
    "session_changed",
    "booking_made_for",
    "booking_removed",
    "waitlist_promoted",
}


def _send(kind, session, person) -> Notification:
    with timezone.override("America/Vancouver"):  # whoever caused it, wherever they are
        SENDERS[kind](session, person)
    return Notification.objects.get(kind=kind, recipient=person)


@pytest.mark.parametrize("kind", sorted(SENDERS))
def test_every_kind_shows_the_session_in_the_recipients_zone(kind, session, tokyo):
    message = _send(kind, session, tokyo)
    assert IN_TOKYO in message.body and IN_TOKYO in message.body_html
    assert IN_TORONTO not in message.body, "not the program's or the server's zone"
    assert "Asia/Tokyo" in message.body
    assert message.program == session.program and message.link


@pytest.mark.parametrize("kind", sorted(WITH_CALENDAR))
def test_calendar_kinds_carry_the_session_as_an_ics_file(kind, session, tokyo):
    (attachment,) = _send(kind, session, tokyo).attachments
    assert attachment["filename"] == "peers-session.ics" and attachment["mimetype"] == "text/calendar"
    (event,) = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    assert event.decoded("dtstart") == STARTS_AT
    confirmed = ("booking_confirmed", "session_changed", "booking_made_for", "waitlist_promoted")
    assert str(event["status"]) == ("CONFIRMED" if kind in confirmed else "CANCELLED")


def test_a_waitlist_offer_says_until_when_in_the_recipients_zone(session, tokyo):
    message = _send("waitlist_offer", session, tokyo)
    assert f"held for you until {EXPIRY_IN_TOKYO}" in message.body
    assert message.subject == "A seat is free for you"


def test_facilitators_are_told_as_facilitators(session, tokyo):
    notify.session_reminder(session, tokyo, facilitating=True)
    notify.session_cancelled(session, tokyo, facilitating=True)
    reminder, cancelled = (Notification.objects.get(kind=k) for k in ("session_reminder", "session_cancelled"))
    assert reminder.subject == "Reminder: you co-facilitate a PEERS session"
    assert f"You co-facilitate the PEERS session on {IN_TOKYO}." in reminder.body
    assert cancelled.subject == "A PEERS session you co-facilitate was cancelled"
    assert "you no longer need to facilitate it" in cancelled.body


def test_a_changed_session_names_its_new_place_and_each_revision_is_a_new_message(session, tokyo):
    first = _send("session_changed", session, tokyo)
    assert f"now on {IN_TOKYO}, Room 3.01" in first.body
    session.sequence += 1
    notify.session_changed(session, tokyo)
    assert Notification.objects.filter(kind="session_changed", recipient=tokyo).count() == 2


def test_a_coverage_alert_counts_the_co_facilitators_and_links_to_the_admin(session, tokyo):
    message = _send("coverage_alert", session, tokyo)
    assert f"{IN_TOKYO} (group 1) has 1 of 2 co-facilitators" in message.body
    assert message.link == f"/admin/sessions_app/session/{session.pk}/change/"
