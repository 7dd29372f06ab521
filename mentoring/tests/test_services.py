import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring import services
from mentoring.models import AwayNotice, Contact, DisclosureStatement, Meeting, MentorPair, MentorReferral, Outreach
from peers.models import Notification
from peers.testing.concurrency import run_concurrently
from peers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _kinds():
    return sorted(Notification.objects.exclude(kind="mentee_contact").values_list("kind", "recipient__email"))


def test_the_answer_is_due_24_hours_after_a_text_and_48_after_an_email(pair_world):
    text = services.contact_create(mentee=pair_world["mentee"], channel="text", message="Can we talk?")
    email = services.contact_create(mentee=pair_world["mentee"], channel="email", message="A question")
    assert text.due_at - text.received_at == datetime.timedelta(hours=24)
    assert email.due_at - email.received_at == datetime.timedelta(hours=48)
    told = Notification.objects.filter(kind="mentee_contact").values_list("recipient__email", flat=True)
    assert sorted(set(told)) == ["fourth@example.edu", "third@example.edu"]


def test_answered_in_time_never_escalates(pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="call", message="Please call")
    services.contact_mark_answered(contact=contact, by=pair_world["third"])
    with time_machine.travel(contact.due_at + datetime.timedelta(days=5)):
        assert services.contacts_escalate() == 0
    assert _kinds() == []


def test_late_escalates_each_step_once_and_carries_no_content(pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="Secret worry")
    with time_machine.travel(contact.due_at - datetime.timedelta(minutes=1)):
        assert services.contacts_escalate() == 0
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=1)):
        assert services.contacts_escalate() == 1
        assert services.contacts_escalate() == 0
    assert _kinds() == [("contact_overdue", "fourth@example.edu"), ("contact_overdue", "third@example.edu")]
    with time_machine.travel(contact.due_at + datetime.timedelta(hours=24, minutes=1)):
        assert services.contacts_escalate() == 1
        assert services.contacts_escalate() == 0
    with time_machine.travel(contact.due_at + datetime.timedelta(hours=48, minutes=1)):
        assert services.contacts_escalate() == 1
        assert services.contacts_escalate() == 0
    assert _kinds() == [
        ("contact_escalated_coordinator", "coordinator@example.edu"),
        ("contact_escalated_faculty", "faculty@example.edu"),
        ("contact_overdue", "fourth@example.edu"),
        ("contact_overdue", "third@example.edu"),
    ]
    assert not Notification.objects.filter(body__contains="Secret worry").exists()
    assert not Notification.objects.filter(subject__contains="Secret worry").exists()


def test_answering_between_steps_stops_the_rest(pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=1)):
        services.contacts_escalate()
    services.contact_mark_answered(contact=contact, by=pair_world["fourth"])
    with time_machine.travel(contact.due_at + datetime.timedelta(days=3)):
        assert services.contacts_escalate() == 0


def test_while_a_mentor_is_away_the_partner_is_told_instead(pair_world):
    today = timezone.localdate()
    services.away_post(
        mentor=pair_world["third"],
        pair=pair_world["pair"],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
        reason="exams",
        tell_mentees=True,
    )
    away = Notification.objects.filter(kind="mentor_away").values_list("recipient__email", flat=True)
    assert sorted(away) == ["fourth@example.edu", "mentee@example.edu"]
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=1)):
        services.contacts_escalate()
    assert list(Notification.objects.filter(kind="contact_overdue").values_list("recipient__email", flat=True)) == [
        "fourth@example.edu"
    ]


def test_when_both_are_away_the_faculty_mentor_is_on_duty(pair_world):
    today = timezone.localdate()
    for mentor in (pair_world["third"], pair_world["fourth"]):
        services.away_post(
            mentor=mentor,
            pair=pair_world["pair"],
            starts_on=today,
            ends_on=today + datetime.timedelta(days=10),
            reason="travel",
            tell_mentees=False,
        )
    services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    assert list(Notification.objects.filter(kind="mentee_contact").values_list("recipient__email", flat=True)) == [
        "faculty@example.edu"
    ]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_still_escalate_each_step_once(pair_world):
    contacts = [services.contact_create(mentee=pair_world["mentee"], channel="text", message="x") for _ in range(8)]

    def sweep():
        with time_machine.travel(contacts[0].due_at + datetime.timedelta(hours=1), tick=True):
            return services.contacts_escalate()

    assert not any(isinstance(result, Exception) for result in run_concurrently(sweep, sweep))
    assert Notification.objects.filter(kind="contact_overdue").count() == 16  # 8 contacts x 2 mentors
    assert Contact.objects.filter(mentors_alerted_at__isnull=True).count() == 0


# --- who may mark a contact answered: the mentors on duty ------------------------------------


def _away_today(pair_world, *who: str) -> None:
    today = timezone.localdate()
    for key in who:
        AwayNotice.objects.create(
            mentor=pair_world[key], pair=pair_world["pair"], starts_on=today, ends_on=today, reason="exams"
        )


def _other_pairs_mentor(pair_world):
    other = MentorPair.objects.create(
        cycle=pair_world["cycle"],
        third_year=UserFactory(),
        fourth_year=UserFactory(),
        faculty_mentor=UserFactory(),
        published_at=pair_world["pair"].published_at,
    )
    return other.third_year


@pytest.mark.parametrize("who", ["away mentor", "other pair's mentor", "mentee", "faculty mentor not covering"])
def test_only_the_mentors_on_duty_mark_a_contact_answered(pair_world, who):
    _away_today(pair_world, "third")
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    person = {
        "away mentor": pair_world["third"],
        "other pair's mentor": _other_pairs_mentor(pair_world),
        "mentee": pair_world["mentee_user"],
        "faculty mentor not covering": pair_world["faculty"],
    }[who]
    with pytest.raises(ValidationError):
        services.contact_mark_answered(contact=contact, by=person)
    contact.refresh_from_db()
    assert contact.answered_at is None
    services.contact_mark_answered(contact=contact, by=pair_world["fourth"])  # the partner on duty can
    contact.refresh_from_db()
    assert contact.answered_by == pair_world["fourth"]


def test_while_both_mentors_are_away_the_faculty_mentor_marks_it_answered(pair_world):
    _away_today(pair_world, "third", "fourth")
    contact = services.contact_create(mentee=pair_world["mentee"], channel="call", message="x")
    with pytest.raises(ValidationError, match="away"):
        services.contact_mark_answered(contact=contact, by=pair_world["fourth"])
    services.contact_mark_answered(contact=contact, by=pair_world["faculty"])
    contact.refresh_from_db()
    assert contact.answered_by == pair_world["faculty"]


# --- a peer mentor takes no action on mentee data before accepting the statement ------------


def _act(pair_world, action: str):
    today = timezone.localdate()
    third, pair, mentee = pair_world["third"], pair_world["pair"], pair_world["mentee"]
    if action == "log a contact":
        return services.contact_create(mentee=mentee, channel="call", logged_by=third)
    if action == "mark answered":
        contact = Contact.objects.create(
            mentee=mentee, pair=pair, channel="text", received_at=timezone.now(), due_at=timezone.now() + STEP
        )
        services.contact_mark_answered(contact=contact, by=third)
        return Contact.objects.get(pk=contact.pk).answered_at
    if action == "log a meeting":
        return services.meeting_log(pair=pair, by=third, held_on=today, mode="video", kind="group", mentees=[mentee])
    if action == "log outreach":
        return services.outreach_log(mentee=mentee, by=third, on=today, channel="text")
    if action == "refer":
        return services.referral_make(pair=pair, mentor=third, to="faculty", category="academic", note="n")
    if action == "post away (tells the mentees)":
        return services.away_post(
            mentor=third, pair=pair, starts_on=today, ends_on=today, reason="exams", tell_mentees=True
        )
    raise AssertionError(action)


STEP = datetime.timedelta(hours=24)
MENTEE_ACTIONS = [
    "log a contact",
    "mark answered",
    "log a meeting",
    "log outreach",
    "refer",
    "post away (tells the mentees)",
]


def _mentee_data_rows() -> int:
    return (
        sum(model.objects.count() for model in (AwayNotice, Meeting, MentorReferral, Outreach))
        + Contact.objects.filter(answered_at__isnull=False).count()
        + Contact.objects.exclude(logged_by=None).count()
    )


@pytest.mark.parametrize("action", MENTEE_ACTIONS)
def test_a_mentor_who_has_not_accepted_the_statement_can_take_no_action_on_mentee_data(pair_world, statement, action):
    with pytest.raises(services.DisclosureNotAccepted, match="disclosure and confidentiality statement"):
        _act(pair_world, action)
    assert _mentee_data_rows() == 0
    assert not Notification.objects.exists()
    services.disclosure_accept(user=pair_world["third"], statement=statement)
    assert _act(pair_world, action)


def test_a_new_version_of_the_statement_stops_the_mentor_again(pair_world, statement):
    services.disclosure_accept(user=pair_world["third"], statement=statement)
    _act(pair_world, "log outreach")
    DisclosureStatement.objects.create(
        program=statement.program, version=2, text="Updated.", published_on=datetime.date(2026, 9, 1)
    )
    with pytest.raises(services.DisclosureNotAccepted):
        _act(pair_world, "log outreach")


def test_the_statement_binds_peer_mentors_only(pair_world, statement):
    _away_today(pair_world, "third", "fourth")
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")  # the mentee writes
    services.contact_mark_answered(contact=contact, by=pair_world["faculty"])  # the faculty mentor, covering
    contact.refresh_from_db()
    assert contact.answered_by == pair_world["faculty"]
