import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peers.models import Notification
from peers.models.notifications import Channel
from peers.services.notifications import notification_create
from peers.services.sweeps import sweeps_run
from peers.testing.queries import page_queries
from peers.tests.factories import MembershipFactory, UserFactory, give_totp

pytestmark = pytest.mark.django_db


def _notify(user, n, **kwargs):
    return notification_create(
        recipient=user,
        kind="test",
        dedupe_key=f"{user.pk}-{n}",
        template="generic",
        channel=Channel.IN_APP,
        context={"subject": f"Message number {n}", "message": f"Body of message {n}"},
        **kwargs,
    )[0]


def test_home_suggests_optional_two_factor_to_a_trainee(client, trainee):
    client.force_login(trainee)
    assert "Protect your account with two-factor authentication" in client.get("/").content.decode()


def test_home_explains_an_empty_to_do_list_and_shows_roles(client, trainee):
    give_totp(trainee)
    client.force_login(trainee)
    page = client.get("/").content.decode()
    assert "Nothing needs you right now" in page
    assert "Trainee" in page and "MD Program" in page
    assert "Coordinators" not in page  # no admin link for a trainee


def test_home_of_someone_on_no_roster_says_what_to_do(client, outsider):
    client.force_login(outsider)
    assert "ask them" in client.get("/").content.decode()


def test_home_lists_unread_notifications_as_a_to_do(client, trainee):
    _notify(trainee, 1)
    client.force_login(trainee)
    page = client.get("/").content.decode()
    assert "1 unread notification" in page


def test_coordinator_sees_the_admin_in_the_navigation(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/").content.decode()
    assert 'href="/admin/"' in page


def test_inbox_lists_my_notifications_and_not_future_or_others(client, trainee, outsider):
    _notify(trainee, 1)
    _notify(trainee, 2, due_at=timezone.now() + datetime.timedelta(days=1))
    _notify(outsider, 3)
    client.force_login(trainee)
    page = client.get(reverse("inbox")).content.decode()
    assert "Message number 1" in page
    assert "Message number 2" not in page and "Message number 3" not in page


def test_opening_a_notification_marks_it_read(client, trainee):
    notification = _notify(trainee, 1)
    client.force_login(trainee)
    page = client.get(reverse("inbox_open", args=[notification.pk])).content.decode()
    assert "Body of message 1" in page
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404(client, trainee, outsider):
    notification = _notify(outsider, 1)
    client.force_login(trainee)
    response = client.get(reverse("inbox_open", args=[notification.pk]))
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read(client, trainee):
    for n in range(3):
        _notify(trainee, n)
    client.force_login(trainee)
    response = client.post(reverse("inbox_mark_all_read"), follow=True)
    assert "Marked 3 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=trainee, read_at__isnull=True).exists()


def test_inbox_runs_a_fixed_number_of_queries(client, trainee, django_assert_num_queries):
    """session, user, memberships (navigation roles), unread count (navigation),
    page count, page rows with their programs."""
    _notify(trainee, 0)
    client.force_login(trainee)
    client.get(reverse("inbox"))
    with django_assert_num_queries(6):
        client.get(reverse("inbox"))
    for n in range(1, 25):
        _notify(trainee, n, program=MembershipFactory(user=trainee).program)
    with django_assert_num_queries(6):
        client.get(reverse("inbox"))


def test_home_runs_a_fixed_number_of_queries(client, trainee, django_assert_num_queries):
    """session, user, memberships, unread count (to-do; the navigation's badge reuses
    it), authenticator check, sessions' offers, bookings and the next round not booked
    (to-do), support offers (to-do), mentee contacts waiting (to-do)."""
    client.force_login(trainee)
    first = len(page_queries(client, "/"))
    for _ in range(10):
        MembershipFactory(user=trainee)
        _notify(trainee, _)
    with django_assert_num_queries(first):
        client.get("/")
    assert first == 10


def test_membership_changelist_runs_a_fixed_number_of_queries(client, coordinator, program):
    client.force_login(coordinator)
    first = len(page_queries(client, reverse("admin:peers_membership_changelist")))
    for _ in range(30):
        MembershipFactory(program=program, user=UserFactory())
    assert len(page_queries(client, reverse("admin:peers_membership_changelist"))) == first


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_healthz_needs_no_login_and_reports_database_broker_and_sweeps(client):
    before = client.get("/healthz")
    assert before.status_code == 503  # the sweeps have never run
    assert before.json()["last_sweep_age_seconds"] is None
    sweeps_run()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
    assert body["last_sweep_age_seconds"] < 5 and body["oldest_unsent_notification_age_seconds"] is None


def test_healthz_is_503_when_a_due_notification_waits_too_long(client, trainee, settings):
    sweeps_run()
    stale = _notify(trainee, 1, due_at=timezone.now() - datetime.timedelta(minutes=30))
    Notification.objects.filter(pk=stale.pk).update(next_attempt_at=timezone.now() + datetime.timedelta(hours=1))
    response = client.get("/healthz")  # backing off after failures still counts as waiting
    assert response.status_code == 503
    report = response.json()
    assert report["oldest_unsent_notification_age_seconds"] >= 1800
    assert "trainee" not in str(report) and "Message" not in str(report)


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_times_are_shown_in_the_persons_own_zone(client, trainee):
    notification = _notify(trainee, 1, due_at=datetime.datetime(2026, 7, 1, 16, 0, tzinfo=datetime.UTC))
    trainee.time_zone = "America/Vancouver"
    trainee.save()
    client.force_login(trainee)
    page = client.get(reverse("inbox_open", args=[notification.pk])).content.decode()
    assert "July 1, 2026, 09:00" in page  # 16:00 UTC is 09:00 in Vancouver (PDT)


def test_healthz_is_503_while_a_notification_was_given_up_on_in_the_last_day(client, trainee):
    sweeps_run()
    failed = _notify(trainee, 1, due_at=timezone.now() - datetime.timedelta(hours=30))
    Notification.objects.filter(pk=failed.pk).update(failed_at=timezone.now(), attempts=12)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failed_notifications_last_day"] == 1
