"""Every kind mentoring sends, rendered through its notify function for a recipient in
Tokyo while the program and the server are in Toronto and the person acting is in
Vancouver: times read in the recipient's zone, with the zone named."""

import datetime
import inspect
import pathlib

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

import mentoring
from mentoring import notify
from mentoring.models import Application, AwayNotice, Contact, MentorReferral, Survey
from peers.models import Notification

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 8, 15, 0, tzinfo=datetime.UTC)
RECEIVED = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=datetime.UTC)  # 09:30 in Toronto, 23:30 in Tokyo
MENTEE_NAME = "Quinby Vantablack"
TEMPLATES = pathlib.Path(settings.BASE_DIR) / "templates" / "notifications"


@pytest.fixture
def world(pair_world):
    """Everybody in Tokyo; the program and the server stay in Toronto."""
    assert pair_world["cycle"].program.time_zone == settings.TIME_ZONE == "America/Toronto"
    for key in ("third", "fourth", "faculty", "mentee_user", "coordinator"):
        pair_world[key].time_zone = "Asia/Tokyo"
        pair_world[key].save(update_fields=["time_zone"])
    pair_world["mentee_user"].name = MENTEE_NAME
    pair_world["mentee_user"].save(update_fields=["name"])
    with time_machine.travel(NOW, tick=False), timezone.override("America/Vancouver"):
        yield pair_world


@pytest.fixture
def contact(world):
    return Contact.objects.create(
        mentee=world["mentee"],
        pair=world["pair"],
        channel="text",
        message="Secret worry",
        received_at=RECEIVED,
        due_at=RECEIVED + datetime.timedelta(hours=24),
    )


def _sent(kind: str, recipient) -> Notification:
    notification = Notification.objects.get(kind=kind, recipient=recipient)
    assert "Asia/Tokyo" in notification.body  # the footer names the zone the times are in
    return notification


def _says(notification: Notification, *phrases: str) -> None:
    html = " ".join(notification.body_html.split())  # the HTML wraps its lines anywhere
    for phrase in phrases:
        assert phrase in notification.body and phrase in html, phrase


def _names_no_mentee(notification: Notification) -> None:
    for text in (notification.subject, notification.body, notification.body_html):
        assert "Quinby" not in text and "Secret worry" not in text


def test_mentee_contact_gives_the_deadline_in_the_mentors_zone(world, contact):
    notify.mentee_contact(contact, world["third"])
    sent = _sent("mentee_contact", world["third"])
    assert sent.subject == "A mentee reached out (text message)"
    _says(sent, "would like an answer by text message by Wed Dec 9, 2026, 23:30 JST")
    _names_no_mentee(sent)


def test_contact_overdue_gives_when_the_mentee_wrote_in_the_mentors_zone(world, contact):
    notify.contact_overdue([(contact, world["fourth"])])
    sent = _sent("contact_overdue", world["fourth"])
    assert sent.subject == "A mentee is waiting for an answer"
    _says(sent, "A mentee reached out by text message on Tue Dec 8, 2026, 23:30 JST and has had no answer")
    _names_no_mentee(sent)


def test_contact_escalated_faculty_gives_both_times_in_the_faculty_mentors_zone(world, contact):
    notify.contact_escalated_faculty([(contact, False)])
    sent = _sent("contact_escalated_faculty", world["faculty"])
    _says(sent, "on Tue Dec 8, 2026, 23:30 JST", "a day past the deadline (Wed Dec 9, 2026, 23:30 JST)")
    _names_no_mentee(sent)


def test_contact_escalated_coordinator_names_the_mentee_and_gives_the_times(world, contact):
    notify.contact_escalated_coordinator([(contact, world["coordinator"])])
    sent = _sent("contact_escalated_coordinator", world["coordinator"])
    _says(sent, f"{MENTEE_NAME} reached out by text message on Tue Dec 8, 2026, 23:30 JST")
    assert "Secret worry" not in sent.body and "Secret worry" not in sent.body_html


def test_mentor_away_tells_the_partner_the_reason_and_the_mentee_who_answers(world):
    notice = AwayNotice.objects.create(
        mentor=world["third"],
        pair=world["pair"],
        starts_on=datetime.date(2026, 12, 10),
        ends_on=datetime.date(2026, 12, 12),
        reason="exams",
    )
    notify.mentor_away(notice, world["fourth"])
    notify.mentor_away(notice, world["mentee_user"])
    partner, mentee = _sent("mentor_away", world["fourth"]), _sent("mentor_away", world["mentee_user"])
    assert partner.subject == mentee.subject == "Third is away Dec 10 to Dec 12"
    _says(partner, "is away from Thu Dec 10, 2026 to Sat Dec 12, 2026 (exams)", "You answer for both of you")
    _says(mentee, "is away from Thu Dec 10, 2026 to Sat Dec 12, 2026.", "Fourth will answer you meanwhile")
    assert "exams" not in mentee.body
    _names_no_mentee(partner)


@pytest.mark.parametrize(
    "status, sentence",
    [
        (Application.Status.SELECTED, "you have been selected as a peer mentor"),
        (Application.Status.WAITLISTED, "You are on the waitlist of peer mentors"),
        (Application.Status.DECLINED, "we could not offer you a place as a peer mentor"),
    ],
)
def test_mentor_application_tells_the_applicant_the_decision(world, status, sentence):
    application = Application.objects.create(
        cycle=world["cycle"], applicant=world["mentee_user"], entering_year=3, motivation="x", status=status
    )
    notify.mentor_application(application)
    sent = _sent("mentor_application", world["mentee_user"])
    assert sent.subject == "Your peer mentor application"
    _says(sent, sentence)


def test_pairs_published_names_the_mentors_and_the_faculty_mentor_never_the_mentees(world):
    notify.pairs_published(world["pair"], world["third"])
    sent = _sent("pairs_published", world["third"])
    _says(sent, "Peer mentors Third and Fourth, with faculty mentor Faculty.")
    _names_no_mentee(sent)


@pytest.mark.parametrize(
    "duty, missing, subject, sentence",
    [
        (notify.DUTY_CONTACT, 1, "Monthly contact", "One of your mentees has not heard from you this month."),
        (notify.DUTY_MEETING, 3, "Meeting each mentee", "3 of your mentees have not met you yet this semester."),
    ],
)
def test_mentor_duty_says_how_many_mentees_and_not_who(world, duty, missing, subject, sentence):
    reminder = (world["pair"], world["third"], duty, missing, "k")
    assert notify.mentor_duty([reminder]) == 1
    assert notify.mentor_duty([reminder]) == 0
    sent = _sent("mentor_duty", world["third"])
    assert sent.subject == subject
    _says(sent, sentence, "See who on your mentoring page.")
    _names_no_mentee(sent)


def test_survey_gives_the_closing_time_in_the_recipients_zone(world):
    survey = Survey.objects.create(
        cycle=world["cycle"],
        title="How is mentoring going?",
        audience=Survey.Audience.MENTEES,
        closes_at=datetime.datetime(2026, 12, 22, 14, 30, tzinfo=datetime.UTC),
    )
    notify.survey(survey, world["mentee_user"])
    sent = _sent("survey", world["mentee_user"])
    assert sent.subject == "A short survey: How is mentoring going?"
    _says(sent, "Your answers are anonymous.", "Answers are taken until Tue Dec 22, 2026, 23:30 JST.")


def test_mentor_referral_gives_when_in_the_recipients_zone_and_no_note(world):
    referral = MentorReferral.objects.create(
        pair=world["pair"], mentor=world["third"], to="faculty", category="wellbeing", note="Private detail"
    )
    notify.mentor_referral(referral, world["faculty"])
    sent = _sent("mentor_referral", world["faculty"])
    assert sent.subject == "A peer mentor made a referral (well-being concern)"
    _says(sent, "Third referred a situation to you on Wed Dec 9, 2026, 00:00 JST.")  # 10:00 in Toronto, Dec 8
    assert "Private detail" not in sent.body and "Private detail" not in sent.body_html
    _names_no_mentee(sent)


def test_every_notify_function_is_a_kind_with_its_templates():
    kinds = {p.name.split(".")[0] for p in TEMPLATES.iterdir()}
    functions = {
        name
        for name, function in inspect.getmembers(notify, inspect.isfunction)
        if function.__module__ == notify.__name__ and not name.startswith("_")
    }
    assert len(functions) == 26 and functions <= kinds


def test_no_mentoring_module_but_notify_writes_a_notification():
    package = pathlib.Path(mentoring.__file__).parent
    writers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "tests" not in path.parts and "notification_create" in path.read_text()
    ]
    assert writers == ["notify.py"]
