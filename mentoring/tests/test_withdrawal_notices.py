"""When an applicant withdraws, declines an offered place or leaves the waitlist, the
program's coordinators are told, once."""

import pytest
from django.urls import reverse

from mentoring import services
from mentoring.models import Application
from mentoring.tests.repairing_helpers import applied, person
from peers.models import Notification, Role

pytestmark = pytest.mark.django_db


def _told(coordinator):
    return list(Notification.objects.filter(recipient=coordinator, kind="application_withdrawn"))


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("selected", "has withdrawn from their peer mentor place"),
        ("offered", "has declined the peer mentor place offered to them"),
        ("waitlisted", "has left the waitlist"),
    ],
)
def test_every_coordinator_is_told_once_when_an_applicant_withdraws(client, pair_world, status, words):
    cycle = pair_world["cycle"]
    second = person(cycle.program, "Second Coordinator", Role.COORDINATOR)
    leaving = applied(cycle, person(cycle.program, "Lee Leaving", Role.TRAINEE), year=3, status="waitlisted")
    Application.objects.filter(pk=leaving.pk).update(status=status, offer_expires_at="2030-01-01T00:00Z")
    client.force_login(leaving.applicant)
    url = reverse("mentoring:withdraw", args=[leaving.pk])
    client.post(url, {"confirm": "1"})
    client.post(url, {"confirm": "1"})  # a second tap: refused, and nobody is told again
    for coordinator in (pair_world["coordinator"], second):
        [notice] = _told(coordinator)
        assert f"Lee Leaving {words}" in notice.body
    assert not Notification.objects.filter(recipient=pair_world["third"], kind="application_withdrawn").exists()


def test_every_coordinator_is_told_once_when_an_offered_place_lapses(pair_world):
    cycle = pair_world["cycle"]
    late = applied(cycle, person(cycle.program, "Lou Late", Role.TRAINEE), year=3, status="waitlisted")
    Application.objects.filter(pk=late.pk).update(status="offered", offer_expires_at="2020-01-01T00:00Z")
    services.place_offers_expire()
    services.place_offers_expire()  # a second sweep finds nothing and tells nobody again
    [notice] = _told(pair_world["coordinator"])
    assert "Lou Late has not answered the peer mentor place offered to them in time" in notice.body
    assert notice.subject.endswith("A mentor place offer has lapsed")
