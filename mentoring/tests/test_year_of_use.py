"""A year of mentoring, run twice and out of order, and by people who should not be there:
nothing a person wrote is lost by re-running a step, every answer is a page with a
message (no 500), and a thread or a referral's note stays with the people it is for."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mentoring import services
from mentoring.models import AwayNotice, Contact, ContactReply, Mentee, MentorPair, PairChange
from mentoring.tests.repairing_helpers import applied, person, second_pair
from peers.models import Membership, Notification
from peers.tests.factories import give_totp

pytestmark = pytest.mark.django_db

WORDS = "I have not slept properly since the exam results"
REPLY = "Thank you for telling me; shall we talk tomorrow at noon?"
NOTE = "Worried about sleep and mood after the exam"
MONDAY = datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)


@pytest.fixture
def year(pair_world):
    """Pair A (Third & Fourth) with a mentee who wrote and was answered; pair B (Bea Third
    & Cal Fourth, two mentees); everyone a member since the cycle began."""
    cycle = pair_world["cycle"]
    applied(cycle, pair_world["third"], year=3, status="selected")
    applied(cycle, pair_world["fourth"], year=4, status="selected")
    b = second_pair(cycle, mentees=2)
    Membership.objects.filter(program=cycle.program).update(starts_on=datetime.date(2026, 7, 1))
    with time_machine.travel(MONDAY, tick=False):
        contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message=WORDS)
        services.contact_reply(contact=contact, by=pair_world["third"], body=REPLY)
    return {**pair_world, "b": b, "contact": contact}


def _post(client, who, name, cycle, data) -> str:
    client.force_login(who)
    return client.post(reverse(name, args=[cycle.pk]), data, follow=True).content.decode()


def test_a_mentee_of_another_pair_and_a_supporter_get_404_on_a_thread_and_a_referral(client, year, supporter):
    referral = services.referral_make(
        pair=year["pair"], mentor=year["third"], to="faculty", category="wellbeing", note=NOTE, mentee=year["mentee"]
    )
    other_mentee = year["b"].mentees.first().user
    give_totp(supporter)  # a peer supporter signs in with a second factor
    thread = reverse("mentoring:thread", args=[year["contact"].pk])
    for intruder in (other_mentee, supporter):
        client.force_login(intruder)
        assert client.get(thread).status_code == 404
        assert client.post(thread, {"body": "Let me in"}).status_code == 404
        assert client.get(reverse("mentoring:referral_detail", args=[referral.pk])).status_code == 404
        assert WORDS not in client.get(reverse("mentoring:home")).content.decode()
    assert ContactReply.objects.filter(contact=year["contact"]).count() == 1  # nothing was added


def test_the_coordinators_admin_pages_show_no_thread_or_note_words(client, year):
    services.referral_make(pair=year["pair"], mentor=year["third"], to="faculty", category="wellbeing", note=NOTE)
    client.force_login(year["coordinator"])
    pages = [
        reverse("admin:mentoring_contact_changelist"),
        reverse("admin:mentoring_contact_change", args=[year["contact"].pk]),
        reverse("admin:mentoring_mentorreferral_changelist"),
        reverse("admin:mentoring_mentorpair_change", args=[year["pair"].pk]),
        reverse("admin:mentoring_pairchange_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert WORDS not in page and REPLY not in page and NOTE not in page, url


def test_a_published_pair_is_not_deleted_in_the_admin_and_what_it_holds_stays(client, year):
    b = year["b"]  # no contact yet (the contacts' read-only admin would refuse on its own)
    notice = AwayNotice.objects.create(
        pair=b, mentor=b.third_year, starts_on=datetime.date(2026, 11, 2), ends_on=datetime.date(2026, 11, 6)
    )
    client.force_login(year["coordinator"])
    refused = client.post(reverse("admin:mentoring_mentorpair_delete", args=[b.pk]), {"post": "yes"})
    assert refused.status_code == 403
    changelist = reverse("admin:mentoring_mentorpair_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [b.pk], "post": "yes"})
    assert MentorPair.objects.filter(pk=b.pk).exists() and AwayNotice.objects.filter(pk=notice.pk).exists()
    assert b.mentees.count() == 2
    program = b.cycle.program
    draft = MentorPair.objects.create(
        cycle=year["cycle"],
        third_year=person(program, "Dan Draft"),
        fourth_year=person(program, "Eve Draft"),
        faculty_mentor=year["faculty"],
    )
    client.post(reverse("admin:mentoring_mentorpair_delete", args=[draft.pk]), {"post": "yes"})
    assert not MentorPair.objects.filter(pk=draft.pk).exists()  # a draft still goes


def test_a_published_pairs_mentors_change_only_through_re_pairing(client, year):
    client.force_login(year["coordinator"])
    page = client.get(reverse("admin:mentoring_mentorpair_change", args=[year["pair"].pk])).content.decode()
    assert 'name="third_year"' not in page and 'name="fourth_year"' not in page
    assert "re-pairing page</a>" in page


def test_taking_a_mentor_then_dissolving_the_pair_left_with_one_keeps_what_was_written(client, year):
    b, pair = year["b"], year["pair"]
    with time_machine.travel(MONDAY, tick=False):
        waiting = services.contact_create(mentee=b.mentees.first(), channel="call", message="Call me?")
        services.pair_mentor_replace(
            pair=pair, outgoing=year["third"], incoming=b.third_year, from_pair=b, by=year["coordinator"]
        )
        first = _post(client, year["coordinator"], "mentoring:repairing_dissolve", year["cycle"], {"pair": b.pk})
        again = _post(client, year["coordinator"], "mentoring:repairing_dissolve", year["cycle"], {"pair": b.pk})
    assert "is dissolved; its 2 mentee(s) moved to other pairs" in first
    assert "was already dissolved" in again and "Nothing changed." in again
    assert (
        Contact.objects.get(pk=waiting.pk).message == "Call me?" and Contact.objects.get(pk=waiting.pk).pair_id == b.pk
    )
    assert set(Mentee.objects.filter(moves__pair=b).values_list("pair", flat=True)) == {pair.pk}  # both to A
    assert PairChange.objects.filter(kind="dissolved", pair=b).count() == 1


def test_a_mentee_moved_away_and_back_keeps_their_thread_and_the_mentors_they_wrote_to_still_answer(client, year):
    mentee, contact = year["mentee"], year["contact"]
    Contact.objects.filter(pk=contact.pk).update(answered_at=None)  # still waiting when they move
    with time_machine.travel(MONDAY, tick=False):
        services.mentee_move(mentee=mentee, to_pair=year["b"], by=year["coordinator"])
        client.force_login(year["fourth"])
        answered = client.post(reverse("mentoring:thread", args=[contact.pk]), {"body": "Still here for you"})
        services.mentee_move(mentee=mentee, to_pair=year["pair"], by=year["coordinator"])
        client.force_login(year["b"].third_year)
        assert client.get(reverse("mentoring:thread", args=[contact.pk])).status_code == 404
        client.force_login(year["mentee_user"])
        page = client.get(reverse("mentoring:thread", args=[contact.pk])).content.decode()
    assert answered.status_code == 302
    assert WORDS in page and REPLY in page and "Still here for you" in page
    assert list(PairChange.objects.filter(mentee=mentee).order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
    ]


def test_the_same_replacement_twice_says_it_was_done_and_changes_nothing(client, year):
    newcomer = person(year["cycle"].program, "Hal Waitlist")
    applied(year["cycle"], newcomer, year=3, status="waitlisted")
    data = {"leaving": f"{year['pair'].pk}:{year['third'].pk}", "incoming": str(newcomer.pk)}
    with time_machine.travel(MONDAY, tick=False):
        first = _post(client, year["coordinator"], "mentoring:repairing_replace", year["cycle"], data)
        again = _post(client, year["coordinator"], "mentoring:repairing_replace", year["cycle"], data)
    assert "Hal Waitlist now mentors in the place of Third" in first
    assert "Third was already replaced in this pair by Hal Waitlist; nothing changed." in again
    assert PairChange.objects.filter(kind="replaced").count() == 1


def test_publishing_twice_tells_nobody_again_and_says_so(client, year):
    client.force_login(year["coordinator"])
    told = Notification.objects.count()
    changelist = reverse("admin:mentoring_mentoringcycle_changelist")
    data = {"action": "publish_pairs", "_selected_action": [year["cycle"].pk], "confirm": "1"}
    page = client.post(changelist, data, follow=True).content.decode()  # every pair is published already
    assert "no pairs waiting to be published; nobody was told again" in page
    assert Notification.objects.count() == told


def test_a_mentor_taken_back_to_their_pair_can_later_leave_it(year):
    """Bea is taken from B to replace Third in A, then taken back to B's empty seat (A runs
    with Fourth alone meanwhile), and later leaves B for good: each step happens."""
    a, b, by = year["pair"], year["b"], year["coordinator"]
    bea = b.third_year
    hal = person(year["cycle"].program, "Hal Waitlist")
    applied(year["cycle"], hal, year=3, status="waitlisted")
    with time_machine.travel(MONDAY, tick=False):
        services.pair_mentor_replace(pair=a, outgoing=year["third"], incoming=bea, from_pair=b, by=by)
        services.pair_mentor_replace(pair=b, outgoing=bea, incoming=bea, from_pair=a, by=by)
        assert MentorPair.objects.get(pk=b.pk).third_year == bea
        assert MentorPair.objects.get(pk=a.pk).vacant_seat == "third_year"
        left = services.pair_mentor_replace(pair=b, outgoing=bea, incoming=hal, by=by)
    assert left is not None and MentorPair.objects.get(pk=b.pk).third_year == hal
    back = Notification.objects.filter(recipient=b.fourth_year, kind="mentor_replaced").order_by("pk")[0]
    assert "Bea Third is back as a peer mentor of your group, and your group has two peer mentors again" in back.body
    assert PairChange.objects.filter(pair=b, mentor_out=bea).count() == 2
