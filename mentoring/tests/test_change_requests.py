"""A mentee (or a mentor) asks privately for a change: the text is encrypted, reaches the
program's coordinators only (never the pair's mentors or the faculty mentor), each read
is logged, and the first coordinator to resolve it tells the person once."""

import pytest
from django.db import connection
from django.urls import reverse

from mentoring.models import ChangeRequest
from mentoring.tests.repairing_helpers import person
from peers.models import AccessLog, Notification, Role

pytestmark = pytest.mark.django_db

TEXT = "I would rather have mentors outside my learning community."


def _ask(client, world, user=None, text=TEXT):
    client.force_login(user or world["mentee_user"])
    url = reverse("mentoring:change_request")
    return client.post(url, {"pair": world["pair"].pk, "text": text}, follow=True).content.decode()


def test_a_mentees_request_reaches_the_coordinators_only_and_is_encrypted(client, pair_world):
    second = person(pair_world["cycle"].program, "Second Coordinator", Role.COORDINATOR)
    page = _ask(client, pair_world)
    assert "coordinators only. You" in page
    request = ChangeRequest.objects.get()
    assert request.as_mentee and request.text == TEXT
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM mentoring_changerequest WHERE id = %s", [request.pk])
        assert TEXT not in cursor.fetchone()[0]
    for coordinator in (pair_world["coordinator"], second):
        [notice] = Notification.objects.filter(recipient=coordinator, kind="change_request_received")
        assert "A mentee sent you a private request" in notice.body and TEXT not in notice.body
    for mentor in (pair_world["third"], pair_world["fourth"], pair_world["faculty"]):
        assert not Notification.objects.filter(recipient=mentor).exists()


def test_the_coordinator_reads_it_logged_and_mentors_and_faculty_cannot(client, pair_world, other_coordinator):
    _ask(client, pair_world)
    request = ChangeRequest.objects.get()
    page_url = reverse("mentoring:repairing", args=[pair_world["cycle"].pk])
    client.force_login(pair_world["coordinator"])
    assert TEXT in client.get(page_url).content.decode()
    assert (
        AccessLog.objects.using("audit")
        .filter(action="change_request_view", object_id=str(request.pk), actor=pair_world["coordinator"], allowed=True)
        .exists()
    )
    for outsider in (pair_world["third"], pair_world["faculty"], other_coordinator):
        client.force_login(outsider)
        assert client.get(page_url).status_code == 404
        assert TEXT not in client.get(reverse("mentoring:home")).content.decode()
        assert client.post(reverse("mentoring:change_request_resolve", args=[request.pk])).status_code == 404
        assert (
            AccessLog.objects.using("audit")
            .filter(action="change_request_view", actor=outsider, allowed=False)
            .exists()
        )
    assert ChangeRequest.objects.get().resolved_at is None


def test_resolving_twice_tells_the_person_once(client, pair_world):
    _ask(client, pair_world)
    request = ChangeRequest.objects.get()
    client.force_login(pair_world["coordinator"])
    url = reverse("mentoring:change_request_resolve", args=[request.pk])
    assert "Resolved. Mentee has been told." in client.post(url, follow=True).content.decode()
    assert "already resolved; nothing changed" in client.post(url, follow=True).content.decode()
    assert Notification.objects.filter(recipient=pair_world["mentee_user"], kind="change_request_resolved").count() == 1
    page = client.get(reverse("mentoring:repairing", args=[pair_world["cycle"].pk])).content.decode()
    assert TEXT not in page and "No open requests." in page


def test_a_peer_mentor_can_ask_too_and_a_double_tap_sends_one(client, pair_world):
    _ask(client, pair_world, user=pair_world["third"])
    _ask(client, pair_world, user=pair_world["third"])
    request = ChangeRequest.objects.get()
    assert not request.as_mentee
    assert Notification.objects.filter(recipient=pair_world["coordinator"], kind="change_request_received").count() == 1


def test_nobody_asks_about_a_pair_they_are_not_in_and_an_empty_request_keeps_the_page(client, pair_world, outsider):
    client.force_login(outsider)
    url = reverse("mentoring:change_request")
    assert client.get(url, {"pair": pair_world["pair"].pk}).status_code == 404
    assert client.post(url, {"pair": pair_world["pair"].pk, "text": TEXT}).status_code == 404
    page = _ask(client, pair_world, text="   ")
    assert "Tell the coordinator in a few words" in page and not ChangeRequest.objects.exists()


def test_the_coordinator_has_a_to_do_while_a_request_is_open(client, pair_world):
    _ask(client, pair_world)
    client.force_login(pair_world["coordinator"])
    assert "1 private request(s) for a change in mentoring" in client.get("/").content.decode()
