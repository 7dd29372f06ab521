"""The both-away path on a phone (360 px): both peer mentors are away, a mentee writes,
the faculty mentor signs in, sees the to-do and the waiting message, replies in the app, and the
mentee reads the reply. Every page visited fits the screen and passes axe."""

import datetime

import pytest

from mentoring import services
from mentoring.clock import program_today
from peers.testing.axe import assert_page_ok
from peers.testing.browser import sign_in
from peers.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "I failed my anatomy quiz and feel lost. Could someone talk with me this week?"
ANSWER = "I'm covering for your peer mentors this week. Let's meet on Thursday at noon."


def _phone(browser):
    return browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)


def _both_away(world):
    today = program_today(world["cycle"].program)
    for mentor in ("third", "fourth"):
        services.away_post(
            mentor=world[mentor],
            pair=world["pair"],
            starts_on=today,
            ends_on=today + datetime.timedelta(days=6),
            reason="exams",
            tell_mentees=True,
        )


def test_with_both_mentors_away_the_faculty_mentor_answers_on_a_phone(live_server, browser, pair_world):
    _both_away(pair_world)

    context = _phone(browser)
    mentee = context.new_page()
    sign_in(mentee, live_server.url, "mentee@example.edu", TEST_PASSWORD)
    mentee.goto(f"{live_server.url}/mentoring/")
    assert mentee.get_by_text(
        "Both your peer mentors are away today. Faculty, your faculty mentor, covers"
    ).is_visible()
    assert_page_ok(mentee)
    mentee.get_by_label("Text message").check()
    mentee.get_by_label("Your message").fill(QUESTION)
    mentee.get_by_role("button", name="Send to my mentors").click()
    assert mentee.get_by_text("Faculty, your faculty mentor, covers and will answer").is_visible()
    assert_page_ok(mentee)  # the conversation, waiting
    context.close()

    context = _phone(browser)
    faculty = context.new_page()
    sign_in(faculty, live_server.url, "faculty@example.edu", TEST_PASSWORD)
    assert faculty.get_by_text("Mentee is waiting for your answer: you cover for the peer mentors").is_visible()
    assert_page_ok(faculty)  # My PEERS, with the to-do
    faculty.goto(f"{live_server.url}/mentoring/")
    assert faculty.get_by_text(QUESTION).is_visible()
    assert faculty.get_by_text("Both peer mentors are away today: you cover for them.").first.is_visible()
    assert_page_ok(faculty)
    faculty.get_by_role("link", name="Reply in the app").click()
    assert faculty.get_by_text(QUESTION).is_visible()
    assert_page_ok(faculty)
    faculty.get_by_label("Your reply").fill(ANSWER)
    faculty.get_by_role("button", name="Send reply").click()
    assert faculty.get_by_text("Reply sent.").is_visible()
    assert faculty.get_by_text(ANSWER).is_visible()
    assert_page_ok(faculty)
    context.close()

    context = _phone(browser)
    mentee = context.new_page()
    sign_in(mentee, live_server.url, "mentee@example.edu", TEST_PASSWORD)
    mentee.goto(f"{live_server.url}/mentoring/")
    mentee.locator("li", has_text="answered").get_by_role("link").click()
    assert mentee.get_by_text(ANSWER).is_visible()
    assert mentee.get_by_text("Faculty ·").is_visible()
    assert_page_ok(mentee)
    context.close()
