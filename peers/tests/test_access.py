"""The core's access checks (peers/access.py): a notification opens only for its
recipient once it is due, and only an office administrator reaches a grant's decision."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from peers.access import notification_open_or_404, role_grant_decide_or_404
from peers.models import Notification
from peers.services.notifications import notification_create
from peers.tests.grants import propose

pytestmark = pytest.mark.django_db


def _notify(user, **kwargs) -> Notification:
    return notification_create(
        recipient=user,
        kind="test",
        dedupe_key=f"access-{user.pk}-{kwargs.get('due_at')}",
        template="generic",
        context={"subject": "Your session moved", "message": "It is now on Thursday."},
        **kwargs,
    )[0]


def test_a_person_opens_their_own_notification(trainee):
    notification = _notify(trainee)
    assert notification_open_or_404(trainee, notification.pk) == notification


def test_another_persons_notification_answers_404(trainee, outsider):
    notification = _notify(outsider)
    with pytest.raises(Http404):
        notification_open_or_404(trainee, notification.pk)


def test_another_persons_notification_answers_404_in_the_inbox_and_stays_unread(client, trainee, outsider):
    notification = _notify(outsider)
    client.force_login(trainee)
    response = client.get(reverse("inbox_open", args=[notification.pk]))
    assert response.status_code == 404
    assert "It is now on Thursday" not in response.content.decode()
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_a_notification_sent_for_later_does_not_open_yet(trainee):
    later = _notify(trainee, due_at=timezone.now() + datetime.timedelta(hours=2))
    with pytest.raises(Http404):
        notification_open_or_404(trainee, later.pk)


def test_an_unknown_notification_answers_404(trainee):
    with pytest.raises(Http404):
        notification_open_or_404(trainee, 999_999)


def test_only_an_office_administrator_reaches_a_grants_decision(office, coordinator, candidate, program):
    grant = propose(office, candidate, program)
    assert role_grant_decide_or_404(office[1], grant.pk) == grant
    with pytest.raises(Http404):
        role_grant_decide_or_404(coordinator, grant.pk)
    with pytest.raises(Http404):
        role_grant_decide_or_404(office[1], grant.pk + 1000)
