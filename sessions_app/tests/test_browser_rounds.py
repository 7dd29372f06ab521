"""On a 360-pixel phone: a trainee books a round, lands in a group, switches group in
one tap, and no page of the way scrolls sideways."""

import pytest

from peers.testing.browser import sign_in
from peers.tests.factories import TEST_PASSWORD
from sessions_app.models import Booking, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def narrow_phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls {overflow}px sideways at 360px"


def test_trainee_books_a_round_and_switches_group_on_a_narrow_phone(live_server, narrow_phone, make_round, trainee):
    one, two, three = make_round(groups=3, capacity=4)
    Session.objects.filter(pk=three.pk).update(
        location="Learning Centre, Simulation Wing, seminar room 3.117 (enter by the east stairs)",
        join_link="https://meet.example/lakeshore-peers-group-03-with-a-rather-long-meeting-identifier",
    )
    phone = narrow_phone
    sign_in(phone, live_server.url, "trainee@example.edu", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/sessions/")
    assert phone.get_by_text("3 groups, 12 seats in all").is_visible()
    _no_sideways_scroll(phone)

    phone.get_by_role("link", name=one.topic.title).click()
    _no_sideways_scroll(phone)
    phone.get_by_role("button", name="Book a seat").click()
    assert phone.get_by_text("You're booked in group 1.").first.is_visible()
    assert Booking.objects.get(user=trainee, status="booked").session == one
    _no_sideways_scroll(phone)

    phone.get_by_role("button", name="Switch to this group").last.click()  # group 3's
    assert phone.get_by_text("You're now in group 3").is_visible()
    assert Booking.objects.get(user=trainee, status="booked").session == three
    assert phone.get_by_role("link", name="Join group 3 online").is_visible()
    _no_sideways_scroll(phone)

    phone.get_by_role("link", name="Group 2").click()  # a group's own page offers the switch too
    _no_sideways_scroll(phone)
    phone.get_by_role("button", name="Switch to this group").click()
    assert phone.get_by_text("You're now in group 2").is_visible()
    assert Booking.objects.get(user=trainee, status="booked").session == two
    _no_sideways_scroll(phone)
    assert phone.console_errors == []
