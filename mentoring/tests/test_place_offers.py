"""A freed mentor place is offered to the next on the waitlist with an expiring offer:
accepted, it is theirs; declined or left to lapse, it moves on to the next, and each
applicant is told once of each outcome."""

import datetime
import time
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Application, Interview
from mentoring.services import applications
from peers.models import Notification, Role
from peers.testing.concurrency import run_concurrently
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _applicant(cycle, score):
    user = UserFactory(time_zone="America/Vancouver")
    MembershipFactory(user=user, program=cycle.program, role=Role.TRAINEE)
    application = Application.objects.create(cycle=cycle, applicant=user, entering_year=3, motivation="I care")
    Interview.objects.create(
        application=application, understanding=score, prior_experience=score, dedication=score, professionalism=score
    )
    return application


def _status(application) -> str:
    return Application.objects.get(pk=application.pk).status


def _told(application) -> list[str]:
    keys = Notification.objects.filter(recipient=application.applicant, kind="mentor_application")
    return sorted(key.rsplit(":", 1)[1] for key in keys.values_list("dedupe_key", flat=True))


@pytest.fixture
def selected(pair_world):
    """Two places for third-years: two selected, three waitlisted (best first)."""
    cycle = pair_world["cycle"]
    cycle.positions_third_year = 2
    cycle.save()
    people = [_applicant(cycle, score) for score in (5, 5, 4, 3, 2)]
    services.applications_select(cycle=cycle, waitlist_size=5)
    return people


def test_a_selected_applicant_who_declines_has_the_place_offered_to_the_best_waitlisted_until_it_expires(
    client, selected
):
    leaving, _, first, second, _ = selected
    offered = services.application_withdraw(application=leaving)
    assert offered == first and _status(first) == "offered"
    expires = Application.objects.get(pk=first.pk).offer_expires_at
    assert expires - timezone.now() == pytest.approx(72 * HOUR, abs=datetime.timedelta(minutes=1))  # the default
    mail = Notification.objects.get(recipient=first.applicant, dedupe_key__endswith=":offered")
    local = timezone.localtime(expires, zoneinfo.ZoneInfo("America/Vancouver"))
    assert f"{local:%H:%M}" in mail.body and ("PST" in mail.body or "PDT" in mail.body)  # their zone
    client.force_login(first.applicant)
    page = client.get(reverse("mentoring:apply")).content.decode()
    assert "A place has opened for you" in page and "Accept the place" in page
    done = client.post(reverse("mentoring:offer_accept", args=[first.pk]), follow=True).content.decode()
    assert "you are a peer mentor" in done
    assert _status(first) == "selected" and _status(second) == "waitlisted"
    assert _told(first) == ["offered", "selected", "waitlisted"]
    assert Application.objects.selected().count() == 2


def test_declining_an_offer_moves_it_to_the_next_on_the_waitlist(selected):
    leaving, _, first, second, _ = selected
    services.application_withdraw(application=leaving)
    assert services.application_withdraw(application=Application.objects.get(pk=first.pk)) == second
    assert [_status(a) for a in (first, second)] == ["withdrawn", "offered"]
    assert Application.objects.holding_a_place().count() == 2


def test_an_offer_not_accepted_in_time_lapses_and_the_sweep_offers_the_next_once(selected):
    leaving, _, first, second, third = selected
    services.application_withdraw(application=leaving)
    assert services.place_offers_expire() == 0  # not yet
    with time_machine.travel(timezone.now() + 73 * HOUR):
        assert services.place_offers_expire() == 1
        assert services.place_offers_expire() == 0
        assert [_status(a) for a in (first, second, third)] == ["lapsed", "offered", "waitlisted"]
        with pytest.raises(ValidationError, match="expired"):
            services.application_offer_accept(application=Application.objects.get(pk=first.pk))
    assert _told(first) == ["lapsed", "offered", "waitlisted"]
    assert _told(second) == ["offered", "waitlisted"]
    assert Application.objects.holding_a_place().count() == 2


def test_selecting_again_counts_an_open_offer_as_a_place_taken(selected, pair_world):
    leaving, *_ = selected
    services.application_withdraw(application=leaving)
    assert services.applications_select(cycle=pair_world["cycle"])["selected"] == 0
    assert Application.objects.holding_a_place().count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_lapse_an_offer_once_and_offer_the_place_once(selected, monkeypatch):
    leaving, _, first, second, third = selected
    services.application_withdraw(application=leaving)
    original = applications._offer_next

    def slow_offer_next(freed):  # hold the claim while the other sweep looks
        offered = original(freed)
        time.sleep(0.5)
        return offered

    monkeypatch.setattr(applications, "_offer_next", slow_offer_next)
    with time_machine.travel(timezone.now() + 73 * HOUR, tick=True):
        done = run_concurrently(services.place_offers_expire, services.place_offers_expire)
    assert sorted(done) == [0, 1]  # the work itself was done once
    assert [_status(a) for a in (first, second, third)] == ["lapsed", "offered", "waitlisted"]
    assert Application.objects.holding_a_place().count() == 2
