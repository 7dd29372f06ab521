import datetime
import threading

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from mentoring import services
from mentoring.models import Contact
from peers.models import Notification

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
    barrier = threading.Barrier(2)

    def sweep():
        barrier.wait()
        try:
            with time_machine.travel(contacts[0].due_at + datetime.timedelta(hours=1), tick=True):
                services.contacts_escalate()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Notification.objects.filter(kind="contact_overdue").count() == 16  # 8 contacts x 2 mentors
    assert Contact.objects.filter(mentors_alerted_at__isnull=True).count() == 0
