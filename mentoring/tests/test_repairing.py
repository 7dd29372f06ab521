"""Re-pairing during the year: a coordinator moves a mentee, replaces a mentor who leaves,
or dissolves a pair; the contacts stay with the people they belong to, everyone affected
is told, and doing any of it twice (or out of order) loses nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from mentoring import access, services
from mentoring.models import Application, Contact, Mentee, MentorPair, PairChange
from mentoring.tests.repairing_helpers import applied, person, second_pair
from peers.models import Membership, Notification, Role
from peers.testing.queries import assert_fixed_queries, page_queries

pytestmark = pytest.mark.django_db

MENTEE = "Robin Quill"


@pytest.fixture
def world(pair_world):
    pair_world["mentee_user"].name = MENTEE
    pair_world["mentee_user"].save()
    pair_world["other"] = second_pair(pair_world["cycle"])
    applied(pair_world["cycle"], pair_world["third"], year=3, status="selected")
    applied(pair_world["cycle"], pair_world["fourth"], year=4, status="selected")
    return pair_world


def _place(world) -> Mentee:
    return Mentee.objects.select_related("cycle").get(pk=world["mentee"].pk)


def _move(world, to=None, by=None):
    return services.mentee_move(mentee=_place(world), to_pair=to or world["other"], by=by or world["coordinator"])


def _bodies(person, kind) -> list[str]:
    return [n.body for n in Notification.objects.filter(recipient=person, kind=kind)]


def _post(client, world, action, **data):
    url = reverse(f"mentoring:repairing_{action}", args=[world["cycle"].pk])
    return client.post(url, data, follow=True).content.decode()


def test_a_moved_mentee_keeps_their_past_messages_and_writes_to_the_new_pair_only(client, world):
    old = services.contact_create(mentee=world["mentee"], channel="text", message="Can we talk about exams?")
    _move(world)
    new = services.contact_create(mentee=_place(world), channel="email", message="A new start")
    assert (Contact.objects.get(pk=old.pk).pair, new.pair) == (world["pair"], world["other"])

    client.force_login(world["mentee_user"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Bea Third and Cal Fourth" in page
    assert page.count("waiting for an answer") == 2 and page.count("to your former mentors") == 1

    # The former mentor keeps what was written to them (and can still answer it), never what comes next.
    assert access.contact_or_404(world["third"], old.pk) == old
    with pytest.raises(Http404):
        access.contact_or_404(world["third"], new.pk)
    assert access.contact_or_404(world["other"].third_year, new.pk) == new
    client.force_login(world["third"])
    assert client.post(reverse("mentoring:answered", args=[new.pk])).status_code == 404


def test_everyone_affected_by_a_move_is_told_and_mentors_are_never_told_who(world):
    _move(world)
    [to_mentee] = _bodies(world["mentee_user"], "mentee_moved")
    assert "Bea Third and Cal Fourth" in to_mentee and "still be answered" in to_mentee
    for mentor in (world["third"], world["fourth"], world["faculty"]):
        [body] = _bodies(mentor, "mentee_moved")
        assert "moved one of your mentees to another pair" in body and MENTEE not in body
    for mentor in (world["other"].third_year, world["other"].fourth_year, world["other"].faculty_mentor):
        [body] = _bodies(mentor, "mentee_moved")
        assert "moved a mentee to your group" in body and MENTEE not in body


def test_moving_the_same_mentee_twice_changes_nothing_and_moving_back_keeps_every_step(client, world):
    client.force_login(world["coordinator"])
    mentee, other = world["mentee"].pk, world["other"].pk
    assert f"{MENTEE} moved to the pair" in _post(client, world, "move", mentee=mentee, to_pair=other)
    again = _post(client, world, "move", mentee=mentee, to_pair=other)
    assert f"{MENTEE} is already in the pair" in again and "nothing changed" in again
    _post(client, world, "move", mentee=mentee, to_pair=world["pair"].pk)
    moves = list(PairChange.objects.filter(mentee=mentee).order_by("sequence"))
    assert [(m.sequence, m.pair_id, m.to_pair_id) for m in moves] == [
        (1, world["pair"].pk, other),
        (2, other, world["pair"].pk),
    ]
    assert Mentee.objects.filter(user=world["mentee_user"]).count() == 1 and _place(world).pair == world["pair"]
    assert len(_bodies(world["mentee_user"], "mentee_moved")) == 2  # once per move, not per click


def test_a_mentee_moves_only_to_a_published_pair_of_the_same_kind(world):
    draft = second_pair(world["cycle"], names=("Dee Draft", "Eve Draft"))
    MentorPair.objects.filter(pk=draft.pk).update(published_at=None)
    with pytest.raises(ValidationError, match="not a published pair"):
        _move(world, to=draft)
    md_phd = second_pair(world["cycle"], names=("Fay Phd", "Gus Phd"))
    MentorPair.objects.filter(pk=md_phd.pk).update(is_md_phd=True)
    with pytest.raises(ValidationError, match="MD/PhD place moves only"):
        _move(world, to=md_phd)
    assert _place(world).pair == world["pair"] and not PairChange.objects.exists()


def test_a_mentor_who_leaves_is_replaced_from_the_waitlist_and_loses_the_pair(client, world):
    newcomer = person(world["cycle"].program, "Hal Waitlist")
    waiting = applied(world["cycle"], newcomer, year=3, status="waitlisted")
    contact = services.contact_create(mentee=world["mentee"], channel="text", message="Hello")
    client.force_login(world["coordinator"])
    done = _post(client, world, "replace", leaving=f"{world['pair'].pk}:{world['third'].pk}", incoming=newcomer.pk)
    assert "Hal Waitlist now mentors in the place of Third" in done

    pair = MentorPair.objects.get(pk=world["pair"].pk)
    assert (pair.third_year, pair.fourth_year) == (newcomer, world["fourth"])
    assert Application.objects.get(pk=waiting.pk).status == "selected"
    assert Application.objects.get(applicant=world["third"]).status == "withdrawn"
    assert _place(world).pair == pair  # the mentee stays where they were
    for someone in (world["third"], newcomer, world["fourth"], world["faculty"], world["mentee_user"]):
        assert len(_bodies(someone, "mentor_replaced")) == 1
    assert "Hal Waitlist" in _bodies(world["mentee_user"], "mentor_replaced")[0]

    with pytest.raises(Http404):  # the mentor who left sees nothing of the pair any more
        access.contact_or_404(world["third"], contact.pk)
    again = _post(client, world, "replace", leaving=f"{pair.pk}:{world['third'].pk}", incoming=newcomer.pk)
    assert "Third was already replaced in this pair by Hal Waitlist; nothing changed." in again
    assert PairChange.objects.filter(kind="replaced").count() == 1


def test_a_replacement_must_be_free_and_of_the_same_year(world):
    def replace(incoming):
        services.pair_mentor_replace(
            pair=world["pair"], outgoing=world["third"], incoming=incoming, by=world["coordinator"]
        )

    busy = world["other"].third_year
    with pytest.raises(ValidationError, match="already mentors in the pair Bea Third & Cal Fourth"):
        replace(busy)
    fourth_year = person(world["cycle"].program, "Ivy Fourth")
    applied(world["cycle"], fourth_year, year=4, status="waitlisted")
    with pytest.raises(ValidationError, match="not on this cycle's waitlist"):
        replace(fourth_year)
    assert MentorPair.objects.get(pk=world["pair"].pk).third_year == world["third"]

    # Once their pair is dissolved, its mentor is free to come in.
    services.pair_dissolve(pair=world["other"], by=world["coordinator"])
    replace(busy)
    assert MentorPair.objects.get(pk=world["pair"].pk).third_year == busy


def test_dissolving_a_pair_moves_its_mentees_and_a_second_dissolve_changes_nothing(client, world):
    waiting = services.contact_create(mentee=world["mentee"], channel="call")
    client.force_login(world["coordinator"])
    done = _post(client, world, "dissolve", pair=world["pair"].pk, reason="A poor fit")
    assert "is dissolved; its 1 mentee(s) moved to other pairs" in done
    assert _place(world).pair == world["other"]
    assert MentorPair.objects.get(pk=world["pair"].pk).dissolved_at is not None
    assert "Your mentoring pair has ended" in _bodies(world["mentee_user"], "mentee_moved")[0]
    for mentor in (world["third"], world["fourth"], world["faculty"]):
        assert len(_bodies(mentor, "pair_dissolved")) == 1

    again = _post(client, world, "dissolve", pair=world["pair"].pk)
    assert "was already dissolved" in again and "Nothing changed" in again
    assert PairChange.objects.filter(kind="dissolved").count() == 1

    # The pair is gone from its mentors' page; the contact still waiting stays theirs to answer.
    client.force_login(world["third"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Your pair:" not in page and "Phone call" in page
    assert access.contact_or_404(world["third"], waiting.pk) == waiting


def test_the_last_pair_is_not_dissolved_while_it_has_mentees(world):
    services.pair_dissolve(pair=world["other"], by=world["coordinator"])
    with pytest.raises(ValidationError, match="no other published pair"):
        services.pair_dissolve(pair=world["pair"], by=world["coordinator"])
    assert MentorPair.objects.get(pk=world["pair"].pk).dissolved_at is None and _place(world).pair == world["pair"]


def test_a_dissolved_pairs_mentors_are_proposed_again(world):
    services.pair_dissolve(pair=world["other"], by=world["coordinator"])
    proposed, _ = services.pairing_propose(cycle=world["cycle"])
    assert {(p.third.name, p.fourth.name) for p in proposed} == {("Bea Third", "Cal Fourth")}


def test_a_student_who_arrives_after_a_pair_dissolved_is_never_placed_in_it(world):
    services.pair_dissolve(pair=world["other"], by=world["coordinator"])
    late = person(world["cycle"].program, "Late Arrival", Role.TRAINEE)
    Membership.objects.filter(user=late).update(class_year=1)
    assert services.cohorts_assign(cycle=world["cycle"]) == 1
    assert Mentee.objects.get(user=late).pair == world["pair"]


def test_a_coordinator_of_another_program_can_neither_see_nor_act(client, world, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(reverse("mentoring:repairing", args=[world["cycle"].pk])).status_code == 404
    url = reverse("mentoring:repairing_move", args=[world["cycle"].pk])
    assert client.post(url, {"mentee": world["mentee"].pk, "to_pair": world["other"].pk}).status_code == 404
    for act in (
        lambda: _move(world, by=other_coordinator),
        lambda: services.pair_dissolve(pair=world["pair"], by=other_coordinator),
        lambda: services.pair_mentor_replace(
            pair=world["pair"], outgoing=world["third"], incoming=world["other"].third_year, by=other_coordinator
        ),
    ):
        with pytest.raises(PermissionDenied):
            act()
    client.force_login(world["third"])  # nor does a mentor
    assert client.get(reverse("mentoring:repairing", args=[world["cycle"].pk])).status_code == 404
    assert _place(world).pair == world["pair"] and not PairChange.objects.exists()


def test_bad_input_on_the_page_says_what_to_do_and_changes_nothing(client, world):
    client.force_login(world["coordinator"])
    assert "Choose the pair to move them to." in _post(client, world, "move", mentee=world["mentee"].pk)
    assert "Choose the mentor who leaves." in _post(client, world, "replace", leaving="nonsense", incoming=1)
    assert "reload the page and choose again" in _post(client, world, "dissolve", pair=999999)
    assert not PairChange.objects.exists()


def test_the_repairing_page_costs_the_same_queries_however_many_pairs_and_changes(client, world):
    def grow():
        for n in range(3):
            pair = second_pair(world["cycle"], names=(f"Third {n}", f"Fourth {n}"), mentees=2)
            applied(world["cycle"], person(world["cycle"].program, f"Waiting {n}"), year=3, status="waitlisted")
            services.change_request_make(user=pair.mentees.first().user, pair=pair, text=f"Please {n}")
            services.mentee_move(mentee=pair.mentees.first(), to_pair=world["pair"], by=world["coordinator"])

    client.force_login(world["coordinator"])
    # Queries: the session, the user, their authenticator, their memberships (4); the cycle;
    # the current pairs and their mentees (2); the replacement candidates; the open requests
    # for a change; the history; the inbox count of the base page (11).
    url = reverse("mentoring:repairing", args=[world["cycle"].pk])
    assert_fixed_queries(client, url, 11, grow=grow)
    page = client.get(url).content.decode()
    assert "Please 2" in page and "Third 2 &amp; Fourth 2" in page and "Waiting 2" in page


def test_the_admins_history_is_scoped_and_costs_the_same_queries_however_many_changes(client, world, other_coordinator):
    url = reverse("admin:mentoring_pairchange_changelist")

    def grow():
        for n in range(3):
            pair = second_pair(world["cycle"], names=(f"Third {n}", f"Fourth {n}"), mentees=1)
            services.mentee_move(mentee=pair.mentees.first(), to_pair=world["pair"], by=world["coordinator"])

    _move(world)
    client.force_login(world["coordinator"])
    before = len(page_queries(client, url))
    grow()
    assert len(page_queries(client, url)) == before
    assert client.get(url).content.decode().count('class="field-mentee_name"') == 4  # one row per move
    client.force_login(other_coordinator)
    assert 'class="field-mentee_name"' not in client.get(url).content.decode()


def test_out_of_order_steps_are_refused_with_a_reason_and_lose_nothing(world):
    services.pair_dissolve(pair=world["other"], by=world["coordinator"])
    with pytest.raises(ValidationError, match="not a published pair"):  # into a dissolved pair
        _move(world, to=world["other"])
    with pytest.raises(ValidationError, match="not dissolved has mentors to replace"):
        services.pair_mentor_replace(
            pair=world["other"], outgoing=world["other"].third_year, incoming=world["third"], by=world["coordinator"]
        )
    assert services.pair_dissolve(pair=world["other"], by=world["coordinator"]) is None
    assert _place(world).pair == world["pair"]
    assert list(PairChange.objects.values_list("kind", flat=True)) == ["dissolved"]


def test_the_pair_admin_shows_its_mentees_but_cannot_move_them_without_a_recorded_move(client, world):
    """Moving a mentee goes through the re-pairing page: the admin's inline is read only."""
    client.force_login(world["coordinator"])
    url = reverse("admin:mentoring_mentorpair_change", args=[world["pair"].pk])
    page = client.get(url).content.decode()
    assert MENTEE in page
    assert 'name="mentees-0-user"' not in page and 'name="mentees-0-DELETE"' not in page
