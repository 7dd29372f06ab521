"""A trainee books a session on a phone, finds it under My sessions, and cancels it."""

import pytest

from peers.testing.browser import sign_in
from peers.tests.factories import TEST_PASSWORD
from sessions_app.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainee_books_sees_and_cancels_a_session(live_server, phone, session, trainee):
    sign_in(phone, live_server.url, "trainee@example.edu", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/sessions/")
    phone.get_by_role("link", name=session.topic.title).click()  # the round's card
    phone.get_by_role("button", name="Book a seat").click()
    assert phone.get_by_text("You're booked in group 1.").first.is_visible()
    phone.goto(f"{live_server.url}/sessions/mine/")
    phone.get_by_role("link", name=session.topic.title).click()
    phone.get_by_role("button", name="Cancel my booking").click()
    phone.get_by_role("button", name="Yes, cancel my booking").click()
    assert phone.get_by_text("Your booking is cancelled").is_visible()
    assert Booking.objects.get(user=trainee).status == "cancelled"
    assert phone.console_errors == []
