"""Selecting mentors again (after late interviews or a withdrawal) fills only the open
positions; MD/PhD peer mentors come in addition to each year's positions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import selectors, services
from mentoring.models import Application, Interview
from peers.models import Notification, Role
from peers.testing.concurrency import run_concurrently
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _applicant(cycle, score=None, *, year=3, md_phd=False):
    user = UserFactory()
    MembershipFactory(user=user, program=cycle.program, role=Role.TRAINEE)
    application = Application.objects.create(
        cycle=cycle, applicant=user, entering_year=year, is_md_phd=md_phd, motivation="I care"
    )
    interview = Interview.objects.create(application=application)
    if score:
        _score(interview, score)
    return application


def _score(interview, score):
    interview.understanding = interview.prior_experience = interview.dedication = interview.professionalism = score
    interview.save()


def _statuses(applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


@pytest.fixture
def cycle(pair_world):
    cycle = pair_world["cycle"]
    cycle.positions_third_year, cycle.positions_fourth_year = 2, 2
    cycle.save()
    return cycle


def test_selecting_again_after_late_interviews_never_exceeds_the_positions(cycle):
    first = [_applicant(cycle, score) for score in (5, 4, 2)]
    late = [_applicant(cycle) for _ in range(3)]
    services.applications_select(cycle=cycle, waitlist_size=5)
    for application in late:
        _score(application.interview, 5)
    counts = services.applications_select(cycle=cycle, waitlist_size=5)
    assert Application.objects.selected().filter(entering_year=3).count() == 2
    assert _statuses(first) == ["selected", "selected", "waitlisted"]
    assert _statuses(late) == ["waitlisted"] * 3  # scored and ranked, but the places are taken
    assert counts == {"selected": 0, "waitlisted": 3, "declined": 0}
    assert services.applications_select(cycle=cycle) == {"selected": 0, "waitlisted": 0, "declined": 0}
    assert Notification.objects.filter(kind="mentor_application").count() == 6  # each told once


def test_a_late_interview_with_a_higher_score_is_offered_a_freed_place_before_a_waitlisted_one(cycle):
    best, second, waitlisted, last = (_applicant(cycle, score) for score in (5, 4, 2, 1))
    services.applications_select(cycle=cycle, waitlist_size=1)
    assert _statuses([waitlisted, last]) == ["waitlisted", "declined"]
    late = _applicant(cycle, 3)  # 12 points, above the waitlisted 8
    services.applications_select(cycle=cycle, waitlist_size=1)
    assert selectors.waitlist_of(cycle=cycle, entering_year=3) == [late, waitlisted]
    Application.objects.filter(pk=best.pk).update(status=Application.Status.DECLINED)  # withdrew
    services.applications_select(cycle=cycle, waitlist_size=1)
    assert _statuses([second, late, waitlisted]) == ["selected", "selected", "waitlisted"]
    assert Application.objects.selected().count() == 2
    assert Notification.objects.filter(recipient=late.applicant, kind="mentor_application").count() == 2


def test_md_phd_peer_mentors_are_selected_in_addition_to_each_years_positions(cycle):
    cycle.positions_md_phd = 1
    cycle.save()
    regular = [_applicant(cycle, score) for score in (3, 2, 1)]
    md_phd = [_applicant(cycle, score, md_phd=True) for score in (5, 4)]
    services.applications_select(cycle=cycle, waitlist_size=0)
    assert _statuses(regular) == ["selected", "selected", "declined"]
    assert _statuses(md_phd) == ["selected", "declined"]


@pytest.mark.django_db(transaction=True)
def test_two_selections_at_once_fill_the_positions_once(cycle):
    for score in (5, 4, 3, 2):
        _applicant(cycle, score)
    results = run_concurrently(*[lambda: services.applications_select(cycle=cycle)] * 2)
    assert not any(isinstance(r, Exception) for r in results), results
    assert Application.objects.selected().count() == 2
    assert sorted(r["selected"] for r in results) == [0, 2]


def test_a_selected_applicant_who_withdraws_frees_the_place_and_the_best_of_the_waitlist_is_offered_it(client, cycle):
    leaving, staying, second, best = (_applicant(cycle, score) for score in (5, 4, 2, 3))
    services.applications_select(cycle=cycle)
    assert _statuses([second, best]) == ["waitlisted", "waitlisted"]
    client.force_login(leaving.applicant)
    page = client.get(reverse("mentoring:apply")).content.decode()
    assert "<strong>selected</strong>" in page and "withdraw my application" in page
    done = client.post(reverse("mentoring:withdraw", args=[leaving.pk]), {"confirm": "1"}, follow=True).content.decode()
    assert "You have withdrawn your application" in done
    assert _statuses([leaving, staying, best, second]) == ["withdrawn", "selected", "offered", "waitlisted"]
    assert Notification.objects.filter(recipient=best.applicant, dedupe_key__endswith=":offered").exists()
    assert Application.objects.holding_a_place().count() == 2
    again = client.post(
        reverse("mentoring:withdraw", args=[leaving.pk]), {"confirm": "1"}, follow=True
    ).content.decode()
    assert "Only a selected or waitlisted application can be withdrawn." in again


def test_nobody_withdraws_someone_elses_application_or_a_published_mentor(client, cycle, pair_world):
    mine = _applicant(cycle, 5)
    services.applications_select(cycle=cycle)
    client.force_login(pair_world["mentee_user"])
    assert client.post(reverse("mentoring:withdraw", args=[mine.pk])).status_code == 404
    published = _applicant(cycle, 4)
    Application.objects.filter(pk=published.pk).update(applicant=pair_world["third"], status="selected")
    with pytest.raises(ValidationError, match="already published"):
        services.application_withdraw(application=Application.objects.get(pk=published.pk))
    assert _statuses([mine, published]) == ["selected", "selected"]
