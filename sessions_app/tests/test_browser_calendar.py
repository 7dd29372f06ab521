"""On a phone: a trainee books a session, adds it to their calendar, and makes their
private feed address, which is shown once."""

import pathlib

import pytest

from peers.testing.browser import sign_in
from peers.tests.factories import TEST_PASSWORD
from sessions_app.tests.calendar_apps import assert_calendar_apps_accept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainee_adds_a_booked_session_to_their_calendar_and_makes_a_feed(live_server, phone, session, trainee):
    sign_in(phone, live_server.url, "trainee@example.edu", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/sessions/{session.pk}/")
    assert phone.get_by_text("PEERS core values").is_visible()
    phone.get_by_role("button", name="Book a seat").click()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Add to calendar").click()
    text = pathlib.Path(download.value.path()).read_bytes().decode()  # keep the CRLFs
    (event,) = assert_calendar_apps_accept(text, method="PUBLISH").walk("VEVENT")
    assert event["dtstart"].params["TZID"] == session.program.time_zone

    phone.goto(f"{live_server.url}/sessions/mine/")
    phone.get_by_role("button", name="Make my calendar address").click()
    address = phone.get_by_label("Your address (shown only now: we keep no copy of it)").input_value()
    assert "/calendar/" in address and address.endswith(".ics")
    phone.goto(f"{live_server.url}/sessions/mine/")
    assert phone.get_by_role("button", name="Make a new address (the old one stops working)").is_visible()
    assert "/calendar/" not in phone.content()
    assert phone.console_errors == []
