"""A mentor refers a mentee from a phone; the faculty mentor opens it, reads the note and
acknowledges it; the mentor sees that it reached them."""

import pytest

from peers.testing.browser import sign_in
from peers.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)


def test_a_referral_reaches_the_faculty_mentor_and_the_mentor_sees_it_acknowledged(live_server, browser, pair_world):
    context = _phone(browser)
    mentor = context.new_page()
    sign_in(mentor, live_server.url, "third@example.edu", TEST_PASSWORD)
    mentor.goto(f"{live_server.url}/mentoring/")
    mentor.get_by_text("Make a referral").click()  # one task at a time: each opens on its own
    form = mentor.locator("form[action='/mentoring/referral/']")
    form.get_by_label("Refer to").select_option("faculty")
    form.get_by_label("Category").select_option("wellbeing")  # nothing is preset
    form.get_by_label("Which mentee is it about?").select_option(label="Mentee")
    form.get_by_label("Short note (optional)").fill("Struggling after a hard week on the wards.")
    form.get_by_role("button", name="Refer").click()
    assert mentor.get_by_text("Referral sent.").is_visible()
    assert mentor.get_by_text("not acknowledged yet").is_visible()
    context.close()

    context = _phone(browser)
    faculty = context.new_page()
    sign_in(faculty, live_server.url, "faculty@example.edu", TEST_PASSWORD)
    faculty.goto(f"{live_server.url}/")
    faculty.get_by_role("link", name="A referral from Third waits for you").click()
    assert faculty.get_by_text("Struggling after a hard week on the wards.").is_visible()
    faculty.get_by_role("button", name="Acknowledge: I have it").click()
    assert faculty.get_by_text("the mentor has been told").is_visible()
    faculty.get_by_label("Met or spoke with the mentee").check()
    faculty.get_by_role("button", name="Save the outcome").click()
    assert faculty.get_by_text("Outcome recorded.").is_visible()
    context.close()

    context = _phone(browser)
    mentor = context.new_page()
    sign_in(mentor, live_server.url, "third@example.edu", TEST_PASSWORD)
    mentor.goto(f"{live_server.url}/mentoring/")
    assert mentor.get_by_text("acknowledged by Faculty").is_visible()
    context.close()
