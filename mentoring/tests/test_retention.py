"""mentoring/services/retention.py: a contact's message and its replies, a meeting's
notes and a referral's notes are removed after the program's retention period, once
each, whatever the number of sweeps; an idle sweep reads only rows still kept."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from mentoring import services
from mentoring.models import Contact, ContactReply, Meeting, MentoringSettings, MentorReferral
from peers.testing.concurrency import run_concurrently
from peers.testing.sweep_plans import analyze, assert_constant_idle_queries, assert_uses_index, main_query

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
START = datetime.datetime(2026, 9, 14, 15, tzinfo=datetime.UTC)


def _answered_contact(world, *, words="Can we talk?", reply="Yes, Friday."):
    contact = services.contact_create(mentee=world["mentee"], channel="text", message=words)
    services.contact_reply(contact=contact, by=world["third"], body=reply)
    return Contact.objects.get(pk=contact.pk)


def _meeting(world, held_on, notes="Talked about exams."):
    meeting = Meeting.objects.create(pair=world["pair"], held_on=held_on, mode="video", kind="group", notes=notes)
    meeting.mentees.set([world["mentee"]])
    return meeting


def _referral(world, note="Worried about them."):
    return MentorReferral.objects.create(
        pair=world["pair"], mentor=world["third"], to="faculty", category="wellbeing", note=note
    )


def test_content_past_the_retention_is_removed_and_what_the_figures_count_stays(pair_world):
    with time_machine.travel(START, tick=False):
        contact = _answered_contact(pair_world)
        meeting = _meeting(pair_world, START.date())
        referral = _referral(pair_world)
    with time_machine.travel(START + 365 * DAY - datetime.timedelta(minutes=1), tick=False):
        assert services.mentoring_content_purge() == 0  # not quite a year: still kept
    with time_machine.travel(START + 366 * DAY, tick=False):
        assert services.mentoring_content_purge() == 3
        assert services.mentoring_content_purge() == 0
    contact.refresh_from_db()
    assert contact.message is None and contact.content_purged_at is not None
    assert contact.answered_at and contact.answered_by == pair_world["third"] and contact.channel == "text"
    assert not ContactReply.objects.exists()
    meeting.refresh_from_db()
    referral.refresh_from_db()
    assert meeting.notes is None and list(meeting.mentees.all()) == [pair_world["mentee"]]
    assert referral.note is None and referral.category == "wellbeing"


def test_a_contact_still_waiting_keeps_its_message(pair_world):
    with time_machine.travel(START, tick=False):
        contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="Still there?")
    with time_machine.travel(START + 800 * DAY, tick=False):
        assert services.mentoring_content_purge() == 0
    contact.refresh_from_db()
    assert contact.message == "Still there?"


def test_each_program_keeps_content_for_its_own_retention(pair_world):
    MentoringSettings.objects.filter(program=pair_world["cycle"].program).update(retention_days=30)
    with time_machine.travel(START, tick=False):
        contact = _answered_contact(pair_world)
    with time_machine.travel(START + 29 * DAY, tick=False):
        assert services.mentoring_content_purge() == 0
    with time_machine.travel(START + 31 * DAY, tick=False):
        assert services.mentoring_content_purge() == 1
    contact.refresh_from_db()
    assert contact.message is None


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_purge_each_thread_once(pair_world):
    with time_machine.travel(START, tick=False):
        contacts = [_answered_contact(pair_world, words=f"Message {n}") for n in range(12)]
    with time_machine.travel(START + 400 * DAY, tick=False):
        results = run_concurrently(services.mentoring_content_purge, services.mentoring_content_purge)
    assert all(isinstance(result, int) for result in results), results
    # The work was done once: between them the two sweeps purged each thread exactly once.
    assert sum(results) == len(contacts)
    assert not Contact.objects.filter(content_purged_at__isnull=True).exists()
    assert not ContactReply.objects.exists()


def _kept_rows(world, count: int) -> None:
    """Answered contacts, meetings and referrals well within the retention, and purged ones."""
    now = timezone.now()
    Contact.objects.bulk_create(
        Contact(
            mentee=world["mentee"],
            pair=world["pair"],
            channel="text",
            message=None if n % 2 else "kept",
            received_at=now - (n % 300 + 2) * DAY,
            due_at=now - (n % 300 + 1) * DAY,
            answered_at=now - (n % 300 + 1) * DAY,
            content_purged_at=now if n % 2 else None,
        )
        for n in range(count)
    )
    Meeting.objects.bulk_create(
        Meeting(pair=world["pair"], held_on=(now - (n % 300) * DAY).date(), mode="video", kind="group", notes="kept")
        for n in range(count // 4)
    )
    MentorReferral.objects.bulk_create(
        MentorReferral(pair=world["pair"], to="faculty", category="other", note="kept") for n in range(count // 4)
    )
    analyze("mentoring_contact", "mentoring_meeting", "mentoring_mentorreferral")


# 1. answered contacts past the retention, 2. meetings, 3. referrals (the shortest
# retention of any program an InitPlan in each).
def test_the_idle_purge_costs_three_queries_and_reads_each_partial_index(pair_world):
    queries = assert_constant_idle_queries(
        services.mentoring_content_purge, 3, grow=lambda: _kept_rows(pair_world, 8000)
    )
    assert_uses_index(
        main_query(queries, "mentoring_contact"), table="mentoring_contact", index="contact_retention_due"
    )
    assert_uses_index(
        main_query(queries, "mentoring_meeting"), table="mentoring_meeting", index="meeting_notes_retention_due"
    )
    assert_uses_index(
        main_query(queries, "mentoring_mentorreferral"),
        table="mentoring_mentorreferral",
        index="referral_notes_retention_due",
    )
