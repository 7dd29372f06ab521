"""A contact's thread (mentoring/services/threads.py, access.thread_or_404): only the
mentee, the pair's two peer mentors and the faculty mentor while covering read it;
whoever is on duty replies, and the first reply stops the clock."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.clock import program_today
from mentoring.models import THREAD_MAX_REPLIES, AwayNotice, Contact, ContactReply, DisclosureStatement, MentorPair
from peers.models import AccessLog, Notification, Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDS = "Could we talk about the anatomy exam?"


@pytest.fixture
def contact(pair_world):
    return services.contact_create(mentee=pair_world["mentee"], channel="text", message=WORDS)


def _away(world, *who):
    today = program_today(world["cycle"].program)
    for mentor in who:
        AwayNotice.objects.create(mentor=world[mentor], pair=world["pair"], starts_on=today, ends_on=today, reason="x")


def _thread(client, user, contact):
    client.force_login(user)
    return client.get(reverse("mentoring:thread", args=[contact.pk]))


def _reads(contact, allowed):
    return (
        AccessLog.objects.using("audit")
        .filter(action="thread_view", object_id=str(contact.pk), allowed=allowed)
        .count()
    )


@pytest.mark.parametrize("who", ["mentee_user", "third", "fourth"])
def test_the_mentee_and_both_peer_mentors_read_the_thread_and_each_read_is_logged(client, pair_world, contact, who):
    response = _thread(client, pair_world[who], contact)
    assert response.status_code == 200 and WORDS in response.content.decode()
    assert _reads(contact, allowed=True) == 1


def test_an_outsider_and_another_pairs_mentor_get_404_logged_as_denied(client, pair_world, contact):
    other = MentorPair.objects.create(
        cycle=pair_world["cycle"],
        third_year=UserFactory(),
        fourth_year=UserFactory(),
        faculty_mentor=UserFactory(),
        published_at=pair_world["pair"].published_at,
    )
    for person in (UserFactory(), other.third_year, other.faculty_mentor, pair_world["coordinator"]):
        assert _thread(client, person, contact).status_code == 404
    assert _reads(contact, allowed=False) == 4 and _reads(contact, allowed=True) == 0


def test_a_mentor_replaced_on_the_pair_no_longer_reads_its_threads(client, pair_world, contact):
    MentorPair.objects.filter(pk=pair_world["pair"].pk).update(third_year=UserFactory())
    assert _thread(client, pair_world["third"], contact).status_code == 404


def test_the_faculty_mentor_reads_the_thread_only_while_covering(client, pair_world, contact):
    assert _thread(client, pair_world["faculty"], contact).status_code == 404
    _away(pair_world, "third")
    assert _thread(client, pair_world["faculty"], contact).status_code == 404
    _away(pair_world, "fourth")
    response = _thread(client, pair_world["faculty"], contact)
    assert response.status_code == 200 and WORDS in response.content.decode()
    assert "you cover for them" in response.content.decode()


def test_a_reply_stops_the_clock_at_its_time_and_tells_the_mentee(pair_world, contact):
    at = contact.received_at + datetime.timedelta(hours=3)
    with time_machine.travel(at, tick=False):
        services.contact_reply(contact=contact, by=pair_world["third"], body="  Yes: Thursday at noon?  ")
    contact.refresh_from_db()
    assert contact.answered_at == at and contact.answered_by == pair_world["third"]
    assert ContactReply.objects.get().body == "Yes: Thursday at noon?"
    notice = Notification.objects.get(recipient=pair_world["mentee_user"], kind="contact_replied")
    assert "Third answered" in notice.body and "Thursday" not in notice.body


def test_the_first_answer_stands_when_the_other_mentor_replies_later(pair_world, contact):
    first = contact.received_at + datetime.timedelta(hours=1)
    with time_machine.travel(first, tick=False):
        services.contact_reply(contact=contact, by=pair_world["third"], body="Yes.")
    with time_machine.travel(first + datetime.timedelta(hours=5), tick=False):
        services.contact_reply(contact=contact, by=pair_world["fourth"], body="Me too.")
        services.contact_mark_answered(contact=contact, by=pair_world["fourth"])
    contact.refresh_from_db()
    assert (contact.answered_at, contact.answered_by) == (first, pair_world["third"])
    assert ContactReply.objects.filter(contact=contact).count() == 2


def test_only_the_mentors_on_duty_reply(pair_world, contact):
    with pytest.raises(ValidationError, match="you answer contacts only while both of them are away"):
        services.contact_reply(contact=contact, by=pair_world["faculty"], body="Hello")
    _away(pair_world, "third")
    with pytest.raises(ValidationError, match="You're away today"):
        services.contact_reply(contact=contact, by=pair_world["third"], body="Hello")
    _away(pair_world, "fourth")
    services.contact_reply(contact=contact, by=pair_world["faculty"], body="I cover this week: call me.")
    contact.refresh_from_db()
    assert contact.answered_by == pair_world["faculty"]
    assert not Contact.objects.unanswered().exists()


def test_an_empty_reply_is_refused_on_the_page_and_nothing_is_stored(client, pair_world, contact):
    client.force_login(pair_world["third"])
    response = client.post(reverse("mentoring:thread", args=[contact.pk]), {"body": "   "})
    assert response.status_code == 200 and "Write your reply first." in response.content.decode()
    assert not ContactReply.objects.exists()
    contact.refresh_from_db()
    assert contact.answered_at is None


def test_the_mentee_sees_the_reply_in_their_thread(client, pair_world, contact):
    client.force_login(pair_world["third"])
    response = client.post(reverse("mentoring:thread", args=[contact.pk]), {"body": "Yes, Thursday."}, follow=True)
    assert "Reply sent." in response.content.decode()
    page = _thread(client, pair_world["mentee_user"], contact).content.decode()
    assert "Yes, Thursday." in page and "Third" in page and "answered" in page
    assert "Send reply" not in page


def test_the_mentee_is_told_on_their_page_who_covers_while_both_are_away(client, pair_world):
    _away(pair_world, "third", "fourth")
    client.force_login(pair_world["mentee_user"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Both your peer mentors are away today. Faculty, your faculty mentor, covers" in page
    response = client.post(
        reverse("mentoring:contact"),
        {"place": pair_world["mentee"].pk, "channel": "text", "message": WORDS},
        follow=True,
    )
    page = response.content.decode()
    assert "Faculty, your faculty mentor, covers and will answer" in page
    assert "Third" not in page.split("Sent.")[1].split("</div>")[0]


def test_the_covering_faculty_mentor_sees_the_waiting_message_and_replies_from_the_mentoring_page(
    client, pair_world, contact
):
    client.force_login(pair_world["faculty"])
    assert WORDS not in client.get(reverse("mentoring:home")).content.decode()
    _away(pair_world, "third", "fourth")
    page = client.get(reverse("mentoring:home")).content.decode()
    assert WORDS in page and "Reply in the app" in page and "you cover for them" in page
    assert Notification.objects.filter(recipient=pair_world["faculty"], kind="mentee_contact").count() == 0
    later = services.contact_create(mentee=pair_world["mentee"], channel="email", message="Another")
    assert Notification.objects.filter(recipient=pair_world["faculty"], kind="mentee_contact").count() == 1
    client.post(reverse("mentoring:thread", args=[later.pk]), {"body": "Here for you."})
    later.refresh_from_db()
    assert later.answered_by == pair_world["faculty"]


def test_a_purged_thread_shows_no_words_and_takes_no_reply(client, pair_world, contact):
    Contact.objects.filter(pk=contact.pk).update(message=None, content_purged_at=timezone.now())
    contact.refresh_from_db()
    page = _thread(client, pair_world["third"], contact).content.decode()
    assert WORDS not in page and "after the program's retention period" in page
    with pytest.raises(ValidationError, match="retention period"):
        services.contact_reply(contact=contact, by=pair_world["third"], body="Late")


def test_the_thread_page_runs_a_fixed_number_of_queries_as_replies_grow(client, pair_world, contact):
    def grow():
        for n in range(6):
            services.contact_reply(contact=contact, by=pair_world["fourth" if n % 2 else "third"], body=f"Reply {n}")

    client.force_login(pair_world["mentee_user"])
    # 1 session, 2 user, 3 the disclosure statement (peer mentor pairs), 4 the contact with
    # its pair, mentors and mentee, 5 away notices (who is on duty), 6 replies with their
    # authors, 7 memberships (navigation), 8 unread count.
    assert_fixed_queries(client, reverse("mentoring:thread", args=[contact.pk]), 8, grow=grow)


def test_a_peer_mentors_thread_reads_the_accepted_statement_in_one_query(client, pair_world, contact):
    statement = DisclosureStatement.objects.create(
        program=pair_world["cycle"].program, version=1, published_on=datetime.date(2026, 7, 1), text="Confidential."
    )
    services.disclosure_accept(user=pair_world["third"], statement=statement)

    def grow():
        for n in range(6):
            services.contact_reply(contact=contact, by=pair_world["third"], body=f"Reply {n}")

    client.force_login(pair_world["third"])
    # 1 session, 2 user, 3 the statement to accept (the newest pair's program, and whether
    # I accepted it), 4 the contact, 5 away notices, 6 replies, 7 memberships, 8 unread count.
    assert_fixed_queries(client, reverse("mentoring:thread", args=[contact.pk]), 8, grow=grow)


def test_the_covering_faculty_mentors_waiting_list_stays_fixed_as_contacts_and_pairs_grow(client, pair_world):
    _away(pair_world, "third", "fourth")

    def grow():
        for _ in range(2):
            pair = MentorPair.objects.create(
                cycle=pair_world["cycle"],
                third_year=UserFactory(),
                fourth_year=UserFactory(),
                faculty_mentor=pair_world["faculty"],
                published_at=pair_world["pair"].published_at,
            )
            for mentor in pair.mentors():
                AwayNotice.objects.create(
                    mentor=mentor, pair=pair, starts_on=timezone.localdate(), ends_on=timezone.localdate(), reason="x"
                )
        for n in range(5):
            services.contact_create(mentee=pair_world["mentee"], channel="text", message=f"Message {n}")

    client.force_login(pair_world["faculty"])
    # 1 session, 2 user, 3 memberships, 4 the statement to accept (none: no pair as a peer
    # mentor), 5 pairs with mentors, 6 mentees, 7 away notices, 8 waiting contacts,
    # 9 unread count, 10 survey invitations, 11 my own mentee place, 12 referrals.
    assert_fixed_queries(client, reverse("mentoring:home"), 12, grow=grow)


def test_the_covering_faculty_mentor_has_a_to_do_that_opens_the_thread(client, pair_world, contact):
    client.force_login(pair_world["faculty"])
    assert "you cover for the peer mentors" not in client.get(reverse("home")).content.decode()
    _away(pair_world, "third")
    assert "you cover for the peer mentors" not in client.get(reverse("home")).content.decode()
    _away(pair_world, "fourth")
    page = client.get(reverse("home")).content.decode()
    assert "Mentee is waiting for your answer: you cover for the peer mentors" in page
    assert reverse("mentoring:thread", args=[contact.pk]) in page
    another_faculty = UserFactory()
    MembershipFactory(user=another_faculty, program=pair_world["cycle"].program, role=Role.FACULTY_MENTOR)
    client.force_login(another_faculty)
    assert "you cover for the peer mentors" not in client.get(reverse("home")).content.decode()
    client.force_login(pair_world["faculty"])
    services.contact_reply(contact=contact, by=pair_world["faculty"], body="Here.")
    assert "you cover for the peer mentors" not in client.get(reverse("home")).content.decode()


def test_a_faculty_mentor_covers_by_the_programs_day_not_the_servers(client, pair_world, contact):
    """Away on the 3rd in Toronto: at 02:00 UTC on the 3rd it is still the 2nd there."""
    program = pair_world["cycle"].program
    program.time_zone = "America/Toronto"
    program.save()
    for mentor in ("third", "fourth"):
        AwayNotice.objects.create(
            mentor=pair_world[mentor],
            pair=pair_world["pair"],
            starts_on=datetime.date(2026, 12, 3),
            ends_on=datetime.date(2026, 12, 3),
            reason="x",
        )
    client.force_login(pair_world["faculty"])
    with time_machine.travel(datetime.datetime(2026, 12, 3, 2, tzinfo=datetime.UTC)):
        assert "you cover for the peer mentors" not in client.get(reverse("home")).content.decode()
        assert _thread(client, pair_world["faculty"], contact).status_code == 404
    with time_machine.travel(datetime.datetime(2026, 12, 3, 6, tzinfo=datetime.UTC)):
        assert "you cover for the peer mentors" in client.get(reverse("home")).content.decode()
        assert _thread(client, pair_world["faculty"], contact).status_code == 200


def test_the_mentee_adds_to_their_message_the_mentors_on_duty_are_told_and_no_clock_moves(client, pair_world, contact):
    client.force_login(pair_world["mentee_user"])
    response = client.post(reverse("mentoring:thread", args=[contact.pk]), {"body": "It's about Friday."}, follow=True)
    assert "Added. Your mentors have been told." in response.content.decode()
    assert "It&#x27;s about Friday." in response.content.decode()
    told = Notification.objects.filter(kind="mentee_follow_up").values_list("recipient__email", flat=True)
    assert sorted(told) == ["fourth@example.edu", "third@example.edu"]
    assert "Friday" not in Notification.objects.filter(kind="mentee_follow_up").first().body
    contact.refresh_from_db()
    assert contact.answered_at is None  # a mentee's words never count as the answer
    assert "Friday" in _thread(client, pair_world["fourth"], contact).content.decode()


def test_only_the_mentee_who_wrote_adds_to_the_message(pair_world, contact):
    with pytest.raises(ValidationError, match="Only the mentee who wrote"):
        services.contact_follow_up(contact=contact, by=pair_world["third"], body="Me?")


def test_a_thread_stays_short(pair_world, contact):
    for n in range(THREAD_MAX_REPLIES):
        services.contact_follow_up(contact=contact, by=pair_world["mentee_user"], body=f"And {n}")
    with pytest.raises(ValidationError, match="write a new message"):
        services.contact_reply(contact=contact, by=pair_world["third"], body="One more")


@pytest.mark.parametrize("pk", ["0", "9223372036854775807", "9223372036854775808", "99999999999999999999999"])
def test_a_thread_id_that_names_no_contact_is_404_however_large(client, pair_world, contact, pk):
    client.force_login(pair_world["mentee_user"])
    assert client.get(f"/mentoring/contacts/{pk}/").status_code == 404
    assert client.get(f"/mentoring/contacts/{contact.pk}/").status_code == 200
