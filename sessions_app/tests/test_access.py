"""sessions_app/access.py: each page answers 404 to anyone but the people it is for, so
nobody learns that another program's session, or another person's seat, exists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.tests.factories import MembershipFactory, UserFactory
from sessions_app import services
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _member_of(program, role, email):
    user = UserFactory(email=email)
    MembershipFactory(user=user, program=program, role=role)
    return user


SESSION_PAGES = ("detail", "book", "cancel", "waitlist_join", "waitlist_leave", "offer_accept", "attendance")


@pytest.mark.parametrize("page", SESSION_PAGES)
def test_a_trainee_of_another_program_gets_404_on_every_session_page(client, session, other_program, page):
    client.force_login(_member_of(other_program, Role.TRAINEE, "elsewhere@example.edu"))
    method = client.get if page in ("detail", "attendance") else client.post
    assert method(reverse(f"sessions:{page}", args=[session.pk])).status_code == 404


def test_a_coordinator_of_another_program_does_not_see_the_session(client, session, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(reverse("sessions:detail", args=[session.pk])).status_code == 404


def test_another_trainee_cannot_cancel_my_booking(client, session, trainee, make_trainee):
    services.booking_create(session=session, user=trainee)
    client.force_login(make_trainee("neighbour@example.edu"))
    assert client.post(reverse("sessions:cancel", args=[session.pk])).status_code == 404
    assert Booking.objects.get(user=trainee).status == "booked"


def test_another_trainee_cannot_take_or_drop_my_waitlist_offer(client, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    holder, waiting, neighbour = (make_trainee(f"{n}@example.edu") for n in ("holder", "waiting", "neighbour"))
    booking = services.booking_create(session=session, user=holder)
    services.waitlist_join(session=session, user=waiting)
    services.booking_cancel(booking=booking)  # the seat is now held for `waiting`
    client.force_login(neighbour)
    assert client.post(reverse("sessions:offer_accept", args=[session.pk])).status_code == 404
    assert client.post(reverse("sessions:waitlist_leave", args=[session.pk])).status_code == 404
    assert WaitlistEntry.objects.get(user=waiting).status == "offered"


def test_another_trainee_of_the_same_program_gets_404_on_my_feedback_link(client, session, trainee, make_trainee):
    booking = services.booking_create(session=session, user=trainee)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(make_trainee("neighbour@example.edu"))
    assert client.get(reverse("sessions:feedback", args=[booking.pk])).status_code == 404
    assert client.post(reverse("sessions:feedback", args=[booking.pk]), {"rating": "1"}).status_code == 404
    booking.refresh_from_db()
    assert booking.feedback_given is False


def test_a_facilitator_of_another_session_gets_404_on_its_attendance(client, program, trained_facilitator):
    mine, theirs = SessionFactory(program=program), SessionFactory(program=program)
    services.facilitation_add(session=theirs, user=trained_facilitator("theirs@example.edu"))
    other = trained_facilitator("other@example.edu")
    services.facilitation_add(session=mine, user=other)
    client.force_login(other)
    assert client.get(reverse("sessions:attendance", args=[mine.pk])).status_code == 200
    assert client.get(reverse("sessions:attendance", args=[theirs.pk])).status_code == 404


def test_a_facilitator_who_is_not_a_trainee_cannot_book(client, session, trained_facilitator):
    client.force_login(trained_facilitator("fac@example.edu"))
    assert client.get(reverse("sessions:detail", args=[session.pk])).status_code == 200
    assert client.post(reverse("sessions:book", args=[session.pk])).status_code == 404
    assert client.post(reverse("sessions:waitlist_join", args=[session.pk])).status_code == 404
    assert not Booking.objects.exists()


def test_an_unknown_or_inactive_calendar_address_is_404(client, trainee):
    token = services.calendar_token_reset(user=trainee)
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404
    assert reverse("calendar_feed", args=["abc"]) == "/calendar/abc.ics"
