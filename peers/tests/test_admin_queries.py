"""The coordinators' core lists (memberships, people, notifications) cost the same
queries however many rows their programs hold: 25 rows a page, one count, capped
(peers.admin_scoping.CappedCountPaginator), and no second count of the unfiltered list."""

import datetime

import pytest
from django.utils import timezone

from peers import admin_scoping
from peers.models import Membership, Notification, Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _trainees(program, n: int, prefix: str = "t") -> None:
    for i in range(n):
        MembershipFactory(user=UserFactory(email=f"{prefix}{i}@example.edu"), program=program, role=Role.TRAINEE)


def _notifications(program, n: int) -> None:
    recipient = UserFactory()
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            program=program,
            kind="sessions.reminder",
            dedupe_key=f"test:{program.pk}:{i}:{now.timestamp()}",
            subject=f"Reminder {i}",
            body="Your session is tomorrow.",
            due_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(n)
    )


def test_the_membership_list_runs_a_fixed_number_of_queries(client, coordinator, program, other_program):
    _trainees(program, 3)
    client.force_login(coordinator)

    def grow():
        _trainees(program, 40, prefix="more")
        _trainees(other_program, 5, prefix="elsewhere")

    # Session, user, MFA, memberships, the program, learning-community and class-year
    # filters, the count, the permissions (2), the page (people, programs and communities
    # joined), the date hierarchy's bounds and its years.
    assert_fixed_queries(client, "/admin/peers/membership/", 13, grow=grow)
    page = client.get("/admin/peers/membership/").content.decode()
    assert page.count('class="action-select"') == 25  # a page of 25 rows
    assert "44 memberships" in page  # 43 trainees and the coordinator: another program's are not counted
    assert "elsewhere" not in page


def test_the_notification_list_runs_a_fixed_number_of_queries(client, coordinator, program, other_program):
    _notifications(program, 2)
    client.force_login(coordinator)

    def grow():
        _notifications(program, 60)
        _notifications(other_program, 10)

    # Session, user, MFA, memberships, the permissions (2), the program filter, the count,
    # the page (recipients and programs joined), the date hierarchy's bounds and its days,
    # the kind filter's values.
    assert_fixed_queries(client, "/admin/peers/notification/", 12, grow=grow)
    page = client.get("/admin/peers/notification/").content.decode()
    assert "62 notifications" in page


def test_a_list_longer_than_the_cap_says_more_than_and_is_not_counted_further(
    client, coordinator, program, monkeypatch
):
    monkeypatch.setattr(admin_scoping, "COUNT_CAP", 3)
    client.force_login(coordinator)
    _trainees(program, 2)  # with the coordinator's own membership: exactly 3
    page = client.get("/admin/peers/membership/").content.decode()
    assert "3 memberships" in page and "More than" not in page
    _trainees(program, 2, prefix="extra")
    page = client.get("/admin/peers/membership/").content.decode()
    assert "More than 3 memberships: search or filter to find the rest" in page


def test_select_all_past_the_cap_acts_on_nothing_and_says_why(client, coordinator, program, monkeypatch):
    """ "Select all" acts on every row the filters match; past the cap nobody has seen them all."""
    monkeypatch.setattr(admin_scoping, "COUNT_CAP", 3)
    client.force_login(coordinator)
    _trainees(program, 4)
    before = Membership.objects.count()
    one = Membership.objects.filter(role=Role.TRAINEE).first()
    post = {"action": "delete_selected", "select_across": "1", "index": "0", "_selected_action": [one.pk]}
    for across in ("1", "on"):  # Django's BooleanField reads either as "all"
        response = client.post(
            "/admin/peers/membership/", {**post, "select_across": across, "post": "yes"}, follow=True
        )
        assert "More than 3 rows match, too many to act on at once" in response.content.decode()
        assert Membership.objects.count() == before
    Membership.objects.filter(role=Role.TRAINEE).exclude(pk=one.pk).delete()  # now within the cap
    body = client.post("/admin/peers/membership/", post).content.decode()
    assert "too many to act on" not in body and "delete memberships | PEERS" in body  # the action's own page


def test_a_person_in_two_of_the_coordinators_programs_is_listed_once(client, coordinator, program, other_program):
    MembershipFactory(user=coordinator, program=other_program, role=Role.COORDINATOR)
    both = UserFactory(email="both@example.edu")
    MembershipFactory(user=both, program=program, role=Role.TRAINEE)
    MembershipFactory(user=both, program=other_program, role=Role.TRAINEE)
    client.force_login(coordinator)
    page = client.get("/admin/peers/user/").content.decode()
    assert page.count(f'name="_selected_action" value="{both.pk}"') == 1
    assert "2 users" in page
