import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from peers.models import Notification
from peers.services.notifications import notifications_sweep
from peers.tests.factories import UserFactory, give_totp
from sessions_app import services
from sessions_app.calendar import session_ics

pytestmark = pytest.mark.django_db


def test_confirmation_ics_is_neutral_and_names_no_attendee(session, make_trainee, mailoutbox):
    alice, bob = make_trainee("alice.private@example.edu"), make_trainee("bob.private@example.edu")
    services.booking_create(session=session, user=alice)
    services.booking_create(session=session, user=bob)
    calendar = Calendar.from_ical(session_ics(session, user_id=alice.pk, bump=False))
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "PEERS session"
    assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    text = calendar.to_ical().decode()
    assert "ATTENDEE" not in text and "alice" not in text and "bob" not in text

    notifications_sweep()
    for message in mailoutbox:
        body = message.body + message.attachments[0][1]
        other = "bob" if "alice" in message.to[0] else "alice"
        assert other not in body


def test_cancellation_ics_cancels_the_event(session, trainee):
    (event,) = Calendar.from_ical(session_ics(session, user_id=trainee.pk, cancelled=True)).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


def test_private_feed_lists_my_bookings_and_facilitations_only(client, session, make_trainee, trained_facilitator):
    me, other = make_trainee("me@example.edu"), make_trainee("other@example.edu")
    services.booking_create(session=session, user=me)
    services.booking_create(session=session, user=other)
    response = client.get(reverse("calendar_feed", args=[services.calendar_token_reset(user=me)]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert b"other@" not in response.content and b"ATTENDEE" not in response.content
    facilitator = trained_facilitator("f@example.edu")
    services.facilitation_add(session=session, user=facilitator)
    token = services.calendar_token_reset(user=facilitator)
    feed = Calendar.from_ical(client.get(reverse("calendar_feed", args=[token])).content)
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == ["PEERS session (co-facilitating)"]


def test_a_reset_feed_address_stops_working_and_the_new_one_is_shown_once(client, trainee):
    old = services.calendar_token_reset(user=trainee)
    client.force_login(trainee)
    page = client.post(reverse("sessions:calendar_reset"), {"confirm": "1"})
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    (new,) = re.findall(r"/calendar/([^\"/]+)\.ics", page.content.decode())
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200
    assert "/calendar/" not in client.get(reverse("sessions:mine")).content.decode()


def test_changing_a_session_sends_an_updated_calendar_entry(client, session, trainee, make_trainee):
    services.booking_create(session=session, user=trainee)
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_totp(admin)
    client.force_login(admin)
    new_start = timezone.localtime(session.starts_at + datetime.timedelta(days=1))
    response = client.post(
        reverse("admin:sessions_app_session_change", args=[session.pk]),
        {
            "program": session.program_id,
            "topic": session.topic_id,
            "starts_at_0": new_start.strftime("%Y-%m-%d"),
            "starts_at_1": new_start.strftime("%H:%M:%S"),
            "duration_minutes": "75",
            "group_number": "1",
            "modality": "in_person",
            "location": "Room 3.01",
            "capacity": "10",
            "booking_closes_hours": "2",
            "status": "scheduled",
            "facilitations-TOTAL_FORMS": "0",
            "facilitations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = Notification.objects.get(kind="session_changed", recipient=trainee)
    assert "Room 3.01" in change.body
    (event,) = Calendar.from_ical(change.attachments[0]["content"]).walk("VEVENT")
    assert int(event["sequence"]) == 1 and str(event["location"]) == "Room 3.01"
    session.refresh_from_db()
    assert session.duration_minutes == 75
