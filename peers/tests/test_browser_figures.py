"""The figures page in Chromium under the real Content-Security-Policy: the charts draw,
nothing is blocked, and the print stylesheet hides the controls."""

import datetime

import pytest
from django.test import Client

from sessions_app.models import Booking
from sessions_app.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_reads_the_charts_and_prints_the_page(live_server, browser, coordinator, trainee, program):
    session = SessionFactory(program=program, starts_at=datetime.datetime(2026, 9, 10, 22, tzinfo=datetime.UTC))
    Booking.objects.create(session=session, user=trainee, round_key="r", attended=True)
    client = Client()
    client.force_login(coordinator)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/figures/{program.pk}/?period=2026-fall")
    held = page.locator("#sessions-held")
    assert held.get_by_role("table").get_by_role("rowheader", name="Sep 2026").is_visible()
    bar = held.locator("rect.figure-chart-bar").nth(2)  # Sep 2026, the third month of the fall
    assert float(bar.get_attribute("width")) > 0 and bar.bounding_box()["width"] > 0
    assert page.locator("rect.figure-chart-bar").first.evaluate("e => getComputedStyle(e).fill") == "rgb(47, 93, 138)"
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Show").is_visible()
    assert not held.get_by_role("link", name="Download this table (CSV)").is_visible()
    assert held.get_by_role("table").is_visible()
    assert len(page.pdf()) > 1000
    assert errors == []  # no script or style blocked by the Content-Security-Policy
    context.close()
