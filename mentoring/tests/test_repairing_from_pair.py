"""A replacement mentor taken from another running pair of the cycle: the pair they leave
keeps its other mentor and goes on with one (listed on the re-pairing page until its
empty seat is filled); everyone of both pairs is told once; doing it twice changes
nothing; a mentor is never taken from the same pair, a dissolved pair, another cycle or a
pair they are the last mentor of."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentoring import selectors, services
from mentoring.models import (
    Application,
    Contact,
    DisclosureAcceptance,
    Mentee,
    MentoringCycle,
    MentorPair,
    PairChange,
)
from mentoring.tests.repairing_helpers import applied, person, second_pair
from peers.models import Membership, Notification, Role
from peers.testing.concurrency import run_concurrently
from peers.testing.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(pair_world):
    """Pair A (Third & Fourth, one mentee) loses Third; pair B (Bea Third & Cal Fourth,
    two mentees) is running."""
    cycle = pair_world["cycle"]
    applied(cycle, pair_world["third"], year=3, status="selected")
    applied(cycle, pair_world["fourth"], year=4, status="selected")
    pair_world["b"] = second_pair(cycle, mentees=2)
    pair_world["bea"] = pair_world["b"].third_year
    return pair_world


def _take(world, *, pair=None, outgoing=None, incoming=None, from_pair=None, by=None):
    return services.pair_mentor_replace(
        pair=pair or world["pair"],
        outgoing=outgoing or world["third"],
        incoming=incoming or world["bea"],
        from_pair=from_pair or world["b"],
        by=by or world["coordinator"],
    )


def _post(client, world, **data):
    url = reverse("mentoring:repairing_replace", args=[world["cycle"].pk])
    return client.post(url, data, follow=True).content.decode()


def _notices(person) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, kind__in=("mentor_replaced", "mentor_taken")).values_list(
            "kind", flat=True
        )
    )


def _reload(pair) -> MentorPair:
    return MentorPair.objects.get(pk=pair.pk)


def test_a_mentor_taken_from_a_running_pair_replaces_one_who_leaves_and_their_pair_goes_on_with_one(client, world):
    b, bea = world["b"], world["bea"]
    client.force_login(world["coordinator"])
    page = client.get(reverse("mentoring:repairing", args=[world["cycle"].pk])).content.decode()
    assert f'value="{b.pk}:{bea.pk}"' in page and "Pairs with one mentor (0)" in page

    done = _post(client, world, leaving=f"{world['pair'].pk}:{world['third'].pk}", incoming=f"{b.pk}:{bea.pk}")
    assert "Bea Third now mentors in the place of Third. Their former pair goes on with one mentor" in done
    assert "Pairs with one mentor (1)" in done and "Cal Fourth (one mentor): the third-year seat is empty" in done
    assert "Bea Third moved to another pair" in done

    a, b = _reload(world["pair"]), _reload(b)
    assert (a.third_year, a.fourth_year) == (bea, world["fourth"])
    assert (b.third_year, b.fourth_year.get_full_name()) == (None, "Cal Fourth")
    assert b.mentees.count() == 2 and b.dissolved_at is None  # its mentees stay with the mentor who remains
    assert Application.objects.get(applicant=world["third"]).status == "withdrawn"
    assert Application.objects.get(applicant=bea).status == "selected"
    [change] = PairChange.objects.all()
    assert (change.pair, change.mentor_out, change.mentor_in, change.from_pair) == (a, world["third"], bea, b)

    # Everyone affected is told once: the mentor who leaves, the one who moves, both pairs' people.
    for someone in (world["third"], bea, world["fourth"], world["faculty"], world["mentee_user"]):
        assert _notices(someone) == ["mentor_replaced"]
    for someone in (b.fourth_year, b.faculty_mentor, *(m.user for m in b.mentees.all())):
        assert _notices(someone) == ["mentor_taken"]
    to_partner = Notification.objects.get(recipient=b.fourth_year, kind="mentor_taken")
    assert to_partner.subject == "Your partner has moved to another pair"
    assert "Bea Third has moved to another mentoring pair" in to_partner.body
    assert "You go on as the peer mentor of your group" in to_partner.body
    to_mentee = Notification.objects.filter(recipient=b.mentees.first().user, kind="mentor_taken").get()
    assert "Cal Fourth goes on as the peer mentor of your group" in to_mentee.body


def test_taking_the_same_mentor_twice_changes_nothing_the_second_time(client, world):
    client.force_login(world["coordinator"])
    data = {"leaving": f"{world['pair'].pk}:{world['third'].pk}", "incoming": f"{world['b'].pk}:{world['bea'].pk}"}
    _post(client, world, **data)
    told = Notification.objects.count()
    again = _post(client, world, **data)
    assert "Third was already replaced in this pair by Bea Third; nothing changed." in again
    assert PairChange.objects.count() == 1 and Notification.objects.count() == told
    assert _reload(world["pair"]).third_year == world["bea"] and _reload(world["b"]).third_year is None


def test_a_mentor_is_not_taken_from_the_same_pair(world):
    with pytest.raises(ValidationError, match="already in this pair"):
        _take(world, incoming=world["third"], from_pair=world["pair"])
    assert _reload(world["pair"]).third_year == world["third"]
    assert Application.objects.get(applicant=world["third"]).status == "selected"
    assert not PairChange.objects.exists()


def test_a_mentor_is_not_taken_from_a_dissolved_pair(world):
    services.pair_dissolve(pair=world["b"], by=world["coordinator"])
    with pytest.raises(ValidationError, match="That pair is dissolved"):
        _take(world)
    assert _reload(world["pair"]).third_year == world["third"]
    assert _reload(world["b"]).third_year == world["bea"]  # the dissolved pair's record keeps its mentors
    # Free now, the same mentor comes in as a free mentor.
    services.pair_mentor_replace(
        pair=world["pair"], outgoing=world["third"], incoming=world["bea"], by=world["coordinator"]
    )
    assert _reload(world["pair"]).third_year == world["bea"]


def test_a_mentor_is_not_taken_from_another_cycle(client, world):
    cycle = MentoringCycle.objects.create(
        program=world["cycle"].program,
        name="2027-2028",
        starts_on=datetime.date(2027, 7, 1),
        ends_on=datetime.date(2028, 6, 30),
    )
    later = second_pair(cycle, names=("Dan Later", "Eve Later"))
    with pytest.raises(ValidationError, match="only from another pair of this cycle"):
        _take(world, incoming=later.third_year, from_pair=later)
    client.force_login(world["coordinator"])
    page = _post(
        client, world, leaving=f"{world['pair'].pk}:{world['third'].pk}", incoming=f"{later.pk}:{later.third_year_id}"
    )
    assert "That is not in this cycle any more; reload the page and choose again." in page
    assert _reload(later).third_year == later.third_year and not PairChange.objects.exists()


def test_a_pairs_last_mentor_is_never_taken(world):
    _take(world)  # B goes on with Cal Fourth alone
    c = second_pair(world["cycle"], names=("Dee Third", "Eli Fourth"))
    with pytest.raises(ValidationError, match="Cal Fourth is the only mentor left in the pair Cal Fourth"):
        _take(world, pair=c, outgoing=c.fourth_year, incoming=_reload(world["b"]).fourth_year)
    assert _reload(world["b"]).fourth_year.get_full_name() == "Cal Fourth"
    assert _reload(c).fourth_year.get_full_name() == "Eli Fourth"


def test_the_database_keeps_at_least_one_mentor_in_a_pair(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorPair.objects.filter(pk=world["b"].pk).update(third_year=None, fourth_year=None)


def test_the_empty_seat_is_filled_from_the_waitlist_and_the_moved_mentor_keeps_their_place(client, world):
    _take(world)
    newcomer = person(world["cycle"].program, "Hal Waitlist")
    applied(world["cycle"], newcomer, year=3, status="waitlisted")
    told = set(Notification.objects.values_list("pk", flat=True))
    client.force_login(world["coordinator"])
    page = client.get(reverse("mentoring:repairing", args=[world["cycle"].pk])).content.decode()
    assert f'<option value="{newcomer.pk}">Hal Waitlist (entering year 3, waitlisted)</option>' in page
    assert f'value="{world["b"].pk}:{world["bea"].pk}">Empty third-year seat, with Cal Fourth</option>' in page
    done = _post(client, world, leaving=f"{world['b'].pk}:{world['bea'].pk}", incoming=str(newcomer.pk))
    assert "Hal Waitlist now mentors in the place of Bea Third" in done and "Pairs with one mentor (0)" in done

    b = _reload(world["b"])
    assert b.third_year == newcomer and b.vacant_seat is None
    assert _reload(world["pair"]).third_year == world["bea"]  # she stays where she went
    assert Application.objects.get(applicant=world["bea"]).status == "selected"
    new = Notification.objects.exclude(pk__in=told)
    assert not new.filter(recipient=world["bea"]).exists()  # she left that seat before: nothing to tell her
    assert set(new.values_list("recipient", flat=True)) == {
        newcomer.pk,
        b.fourth_year_id,
        b.faculty_mentor_id,
        *b.mentees.values_list("user", flat=True),
    }


def test_the_repairing_page_costs_the_same_queries_with_pairs_of_one_mentor(client, world):
    def grow():
        for n in range(3):
            donor = second_pair(world["cycle"], names=(f"Third {n}", f"Fourth {n}"), mentees=2)
            into = second_pair(world["cycle"], names=(f"Into {n}", f"Stay {n}"))
            _take(world, pair=into, outgoing=into.third_year, incoming=donor.third_year, from_pair=donor)

    client.force_login(world["coordinator"])
    # The same 11 queries as without them (test_repairing): who left an empty seat is a
    # subquery of the current pairs' query.
    url = reverse("mentoring:repairing", args=[world["cycle"].pk])
    assert_fixed_queries(client, url, 11, grow=grow)
    page = client.get(url).content.decode()
    assert "Pairs with one mentor (3)" in page and "Fourth 2 (one mentor)" in page


def test_the_mentor_left_alone_sees_their_pair(client, world, statement):
    _take(world)
    cal = _reload(world["b"]).fourth_year
    DisclosureAcceptance.objects.create(statement=statement, user=cal)
    client.force_login(cal)
    page = client.get(reverse("mentoring:home"))
    assert page.status_code == 200 and "Cal Fourth (one mentor)" in page.content.decode()


def test_a_pair_with_one_mentor_keeps_working(client, world):
    _take(world)
    b = _reload(world["b"])
    cal, place = b.fourth_year, b.mentees.first()
    Membership.objects.filter(program=world["cycle"].program).update(starts_on=datetime.date(2026, 7, 1))
    contact = services.contact_create(mentee=place, channel="text", message="Are you there?")
    assert Contact.objects.get(pk=contact.pk).pair == b

    client.force_login(place.user)  # the mentee sees their one mentor
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Cal Fourth, with" in page

    # The one mentor is reminded alone; away, the faculty mentor covers every day.
    world["cycle"].fall_starts_on, world["cycle"].fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    world["cycle"].save()
    with time_machine.travel(datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)):
        services.duties_remind()
        assert set(Notification.objects.filter(kind="mentor_duty").values_list("recipient", flat=True)) == {
            cal.pk,
            world["fourth"].pk,
            world["bea"].pk,
        }
        services.away_post(
            mentor=cal,
            pair=b,
            starts_on=datetime.date(2026, 10, 27),
            ends_on=datetime.date(2026, 10, 30),
            reason="Exams",
            tell_mentees=True,
        )
    assert Notification.objects.filter(recipient=b.faculty_mentor, kind="faculty_covering").count() == 1
    assert Notification.objects.filter(recipient=place.user, kind="faculty_covering").count() == 1
    covering = selectors.waiting_for_covering_faculty
    before, during = (datetime.datetime(2026, 10, day, 15, tzinfo=datetime.UTC) for day in (26, 28))
    assert list(covering(user=b.faculty_mentor, now=before)) == []
    assert list(covering(user=b.faculty_mentor, now=during)) == [contact]  # the faculty mentor answers meanwhile


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_taking_the_same_mentor_at_once_take_them_once(pair_world):
    cycle = pair_world["cycle"]
    applied(cycle, pair_world["third"], year=3, status="selected")
    applied(cycle, pair_world["fourth"], year=4, status="selected")
    b, c = second_pair(cycle), second_pair(cycle, names=("Dee Third", "Eli Fourth"))
    second = person(cycle.program, "Second Coordinator", Role.COORDINATOR)

    def take(into, outgoing, by):
        return lambda: services.pair_mentor_replace(
            pair=MentorPair.objects.get(pk=into.pk),
            outgoing=outgoing,
            incoming=b.third_year,
            from_pair=MentorPair.objects.get(pk=b.pk),
            by=by,
        )

    results = run_concurrently(
        take(pair_world["pair"], pair_world["third"], pair_world["coordinator"]), take(c, c.third_year, second)
    )
    assert [type(r) for r in results].count(PairChange) == 1, results
    assert [r for r in results if isinstance(r, Exception)][0].__class__ is ValidationError
    assert MentorPair.objects.filter(third_year=b.third_year, dissolved_at__isnull=True).count() == 1
    assert PairChange.objects.filter(from_pair=b).count() == 1
    assert Mentee.objects.filter(pair=b).count() == 0  # nobody lost on the way


def test_proposing_pairs_with_a_seat_empty_still_proposes_the_free_mentors(world):
    _take(world)  # pair B goes on with Cal Fourth alone; Third left the program
    for name, year in (("New Third", 3), ("New Fourth", 4)):
        applied(world["cycle"], person(world["cycle"].program, name), year=year, status="selected")
    proposed, _ = services.pairing_propose(cycle=world["cycle"])
    assert {(p.third.name, p.fourth.name) for p in proposed} == {("New Third", "New Fourth")}
