"""Two coordinators re-pairing at once, with real threads against the real database: the
cycle's lock makes them act one after the other, so the mentee ends in exactly one pair
and the history has every step; the UNIQUEs hold even without the lock."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentoring import services
from mentoring.models import Application, Mentee, MentorPair, PairChange
from mentoring.tests.repairing_helpers import applied, person, second_pair
from peers.models import Notification, Role
from peers.testing.concurrency import run_concurrently
from peers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_moving_the_same_mentee_at_once_leave_one_place_and_every_step(pair_world):
    cycle, place = pair_world["cycle"], pair_world["mentee"]
    second = person(cycle.program, "Second Coordinator", Role.COORDINATOR)
    b, c = second_pair(cycle), second_pair(cycle, names=("Dee Third", "Eli Fourth"))

    def move(to, by):
        return lambda: services.mentee_move(mentee=Mentee.objects.get(pk=place.pk), to_pair=to, by=by)

    results = run_concurrently(move(b, pair_world["coordinator"]), move(c, second))
    assert not any(isinstance(r, Exception) for r in results), results
    assert Mentee.objects.filter(user=pair_world["mentee_user"]).count() == 1
    moves = list(PairChange.objects.filter(mentee=place).order_by("sequence"))
    assert [m.sequence for m in moves] == [1, 2]
    assert moves[0].pair_id == pair_world["pair"].pk and moves[1].pair_id == moves[0].to_pair_id  # no step lost
    assert Mentee.objects.get(pk=place.pk).pair_id == moves[1].to_pair_id
    assert Notification.objects.filter(recipient=pair_world["mentee_user"], kind="mentee_moved").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_dissolving_the_same_pair_at_once_dissolve_it_once(pair_world):
    cycle = pair_world["cycle"]
    second = person(cycle.program, "Second Coordinator", Role.COORDINATOR)
    second_pair(cycle)

    def dissolve(by):
        return lambda: services.pair_dissolve(pair=MentorPair.objects.get(pk=pair_world["pair"].pk), by=by)

    results = run_concurrently(dissolve(pair_world["coordinator"]), dissolve(second))
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r is None for r in results) == [False, True]
    assert PairChange.objects.filter(kind="moved", mentee=pair_world["mentee"]).count() == 1
    assert Notification.objects.filter(recipient=pair_world["third"], kind="pair_dissolved").count() == 1


def test_the_database_refuses_a_second_move_numbered_the_same(pair_world):
    other = second_pair(pair_world["cycle"])
    fields = {
        "kind": "moved",
        "cycle": pair_world["cycle"],
        "pair": pair_world["pair"],
        "to_pair": other,
        "mentee": pair_world["mentee"],
        "sequence": 1,
        "at": timezone.now(),
    }
    PairChange.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PairChange.objects.create(**fields)


def test_the_database_refuses_a_second_departure_from_a_pair_numbered_the_same(pair_world):
    """A mentor leaves a pair once, unless taken back to it (then the next is numbered 2)."""
    newcomer = UserFactory()
    fields = {
        "kind": "replaced",
        "cycle": pair_world["cycle"],
        "pair": pair_world["pair"],
        "mentor_out": pair_world["third"],
        "mentor_in": newcomer,
        "sequence": 1,
        "at": timezone.now(),
    }
    PairChange.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PairChange.objects.create(**{**fields, "mentor_in": UserFactory()})
    with pytest.raises(IntegrityError), transaction.atomic():  # an unnumbered one would slip past
        PairChange.objects.create(**{**fields, "sequence": None})
    PairChange.objects.create(**{**fields, "sequence": 2})


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_replacing_the_same_mentor_at_once_replace_them_once(pair_world):
    cycle = pair_world["cycle"]
    second = person(cycle.program, "Second Coordinator", Role.COORDINATOR)
    applied(cycle, pair_world["third"], year=3, status="selected")
    newcomers = [person(cycle.program, name) for name in ("Hal Waiting", "Ivy Waiting")]
    for newcomer in newcomers:
        applied(cycle, newcomer, year=3, status="waitlisted")

    def replace(incoming, by):
        return lambda: services.pair_mentor_replace(
            pair=MentorPair.objects.get(pk=pair_world["pair"].pk),
            outgoing=pair_world["third"],
            incoming=incoming,
            by=by,
        )

    results = run_concurrently(replace(newcomers[0], pair_world["coordinator"]), replace(newcomers[1], second))
    assert not any(isinstance(r, Exception) for r in results), results
    [change] = [r for r in results if r is not None]
    assert MentorPair.objects.get(pk=pair_world["pair"].pk).third_year_id == change.mentor_in_id
    assert Application.objects.filter(cycle=cycle, status="selected", applicant__in=newcomers).count() == 1
