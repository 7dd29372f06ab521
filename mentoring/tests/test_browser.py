"""A mentee writes from a phone, the mentor signs in and answers, and the mentee's row updates."""

import pytest

from peers.testing.browser import sign_in
from peers.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentee_writes_mentor_answers_and_the_compliance_row_updates(live_server, browser, pair_world):
    mentee_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mentee = mentee_context.new_page()
    sign_in(mentee, live_server.url, "mentee@example.edu", TEST_PASSWORD)
    mentee.goto(f"{live_server.url}/mentoring/")
    mentee.get_by_label("Text message").check()
    mentee.get_by_label("Your message").fill("Could we talk about clerkship choices?")
    mentee.get_by_role("button", name="Send to my mentors").click()
    assert mentee.get_by_text("Sent. Your mentors will answer").is_visible()
    mentee_context.close()

    mentor_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mentor = mentor_context.new_page()
    sign_in(mentor, live_server.url, "third@example.edu", TEST_PASSWORD)
    mentor.goto(f"{live_server.url}/mentoring/")
    assert mentor.get_by_text("Could we talk about clerkship choices?").is_visible()
    assert mentor.get_by_text("not contacted this month").is_visible()
    mentor.get_by_role("button", name="Mark answered").click()
    assert mentor.get_by_text("Marked as answered").is_visible()
    assert mentor.get_by_text("contacted this month", exact=True).is_visible()
    mentor_context.close()
