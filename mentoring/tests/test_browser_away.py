"""A peer mentor on a phone (360 px) posts an away notice from its own task, sees it at the
top of the page and ends it early. Every page visited fits the screen and passes axe."""

import datetime

import pytest

from mentoring.clock import program_today
from mentoring.models import AwayNotice
from peers.testing.axe import assert_page_ok
from peers.testing.browser import sign_in
from peers.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentor_posts_an_away_notice_sees_it_at_the_top_and_ends_it_on_a_phone(live_server, phone, pair_world):
    today = program_today(pair_world["cycle"].program)
    sign_in(phone, live_server.url, "third@example.edu", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/mentoring/")
    assert_page_ok(phone)
    assert not phone.get_by_label("Away from").is_visible()  # one task at a time: closed until opened

    phone.get_by_text("Going away? Post an away notice").click()
    phone.get_by_label("Away from").fill(f"{today:%Y-%m-%d}")
    phone.get_by_label("Last day away").fill(f"{today + datetime.timedelta(days=5):%Y-%m-%d}")
    phone.get_by_label("Reason (your partner sees it)").fill("Exams")
    phone.get_by_role("button", name="Post away notice").click()

    assert phone.get_by_text("You are away from").is_visible()
    assert phone.get_by_text("Fourth answers meanwhile").is_visible()
    assert_page_ok(phone)
    phone.get_by_role("button", name="End my away notice now").click()

    assert phone.get_by_text("Your away notice has ended").is_visible()
    assert not phone.get_by_text("You are away from").is_visible()
    assert AwayNotice.objects.get().ends_on == today - datetime.timedelta(days=1)
