"""What cannot be undone asks first: the first POST shows what will happen, and only a
POST with confirm=1 does it."""

import pytest
from django.urls import reverse

from sessions_app import services
from sessions_app.models import Booking, SessionSettings, WaitlistEntry
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _asks(response, yes: str) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert yes in page and 'name="confirm" value="1"' in page and "Keep it as it is" in page


def test_cancelling_a_booking_asks_first(client, session, trainee):
    services.booking_create(session=session, user=trainee)
    client.force_login(trainee)
    url = reverse("sessions:cancel", args=[session.pk])
    _asks(client.post(url), "Yes, cancel my booking")
    assert Booking.objects.get(user=trainee).status == "booked"
    done = client.post(url, {"confirm": "1"}, follow=True)
    assert "Your booking is cancelled" in done.content.decode()
    assert Booking.objects.get(user=trainee).status == "cancelled"


def test_the_session_page_offers_the_cancel_that_asks_first(client, session, trainee):
    services.booking_create(session=session, user=trainee)
    client.force_login(trainee)
    page = client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    assert reverse("sessions:cancel", args=[session.pk]) in page and 'name="confirm"' not in page


def test_leaving_the_waitlist_asks_first(client, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    holder, waiting = make_trainee("holder@example.edu"), make_trainee("waiting@example.edu")
    services.booking_create(session=session, user=holder)
    services.waitlist_join(session=session, user=waiting)
    client.force_login(waiting)
    url = reverse("sessions:waitlist_leave", args=[session.pk])
    _asks(client.post(url), "Yes, leave the waitlist")
    assert WaitlistEntry.objects.get(user=waiting).status == "waiting"
    client.post(url, {"confirm": "1"})
    assert WaitlistEntry.objects.get(user=waiting).status not in WaitlistEntry.OPEN


def test_giving_up_a_held_seat_asks_first(client, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    holder, waiting = make_trainee("holder@example.edu"), make_trainee("waiting@example.edu")
    booking = services.booking_create(session=session, user=holder)
    services.waitlist_join(session=session, user=waiting)
    services.booking_cancel(booking=booking)
    client.force_login(waiting)
    _asks(client.post(reverse("sessions:waitlist_leave", args=[session.pk])), "Yes, give up the seat")
    assert WaitlistEntry.objects.get(user=waiting).status == "offered"


def test_resetting_the_calendar_address_asks_first(client, trainee):
    old = services.calendar_token_reset(user=trainee)
    client.force_login(trainee)
    _asks(client.post(reverse("sessions:calendar_reset")), "Yes, make a new address")
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 200
    client.post(reverse("sessions:calendar_reset"), {"confirm": "1"})
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404


def test_a_facilitator_withdraws_only_after_confirming(client, session, trained_facilitator):
    SessionSettings.objects.filter(program=session.program).update(facilitator_withdraw_hours=24)
    facilitator = trained_facilitator("fac@example.edu")
    services.facilitation_add(session=session, user=facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    assert "Withdraw as co-facilitator" in page
    url = reverse("sessions:facilitate_withdraw", args=[session.pk])
    _asks(client.post(url), "Yes, withdraw")
    assert session.facilitations.filter(user=facilitator).exists()
    done = client.post(url, {"confirm": "1"}, follow=True)
    assert "You no longer co-facilitate this session" in done.content.decode()
    assert not session.facilitations.filter(user=facilitator).exists()


def test_only_the_facilitator_withdraws_themselves(client, session, trained_facilitator, trainee):
    services.facilitation_add(session=session, user=trained_facilitator("fac@example.edu"))
    client.force_login(trainee)
    url = reverse("sessions:facilitate_withdraw", args=[session.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert session.facilitations.count() == 1


def test_the_availability_program_is_not_preset_and_a_bad_month_keeps_the_note(client, trained_facilitator):
    client.force_login(trained_facilitator("open@example.edu"))
    assert '<option value="" selected>Choose…</option>' in client.get(reverse("sessions:facilitate")).content.decode()
    page = client.post(reverse("sessions:facilitate"), {"program": "", "month": "soon", "note": "Tuesdays"})
    text = page.content.decode()
    assert "Choose the program." in text and "Choose a month" in text and 'value="Tuesdays"' in text
