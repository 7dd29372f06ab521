"""Facilitators withdrawing until the cut-off, coordinators removing and assigning them
in the admin, and who is told."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from peers.models import Notification
from sessions_app import services
from sessions_app.models import Facilitation, Session
from sessions_app.tests.calendar_apps import assert_calendar_apps_accept
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.test_admin_edits import _data

pytestmark = pytest.mark.django_db


def _in(days, program):
    return SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=days))


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_facilitator_withdraws_until_the_cutoff_then_is_asked_to_tell_the_coordinator(
    client, program, trained_facilitator
):
    person = trained_facilitator("f@example.edu")
    early, soon = _in(5, program), _in(2, program)  # the default cut-off is 72 hours
    services.facilitation_withdraw(facilitation=services.facilitation_add(session=early, user=person))
    assert not early.facilitations.exists()
    late = services.facilitation_add(session=soon, user=person)
    with pytest.raises(ValidationError, match="ask your program coordinator"):
        services.facilitation_withdraw(facilitation=late)
    client.force_login(person)
    page = client.get(reverse("sessions:detail", args=[soon.pk])).content.decode()
    assert "Withdraw as co-facilitator" not in page and "tell your program" in page
    client.post(reverse("sessions:facilitate_withdraw", args=[soon.pk]), {"confirm": "1"})
    assert soon.facilitations.filter(user=person).exists()


def test_a_withdrawal_tells_the_co_facilitator_and_the_coordinator_and_rearms_coverage(
    program, coordinator, trained_facilitator
):
    session = _in(5, program)
    leaving, staying = trained_facilitator("leaving@example.edu"), trained_facilitator("staying@example.edu")
    first = services.facilitation_add(session=session, user=leaving)
    services.facilitation_add(session=session, user=staying)
    Session.objects.filter(pk=session.pk).update(coverage_alert_sent_at=timezone.now())
    services.facilitation_withdraw(facilitation=first)
    assert _told("facilitator_left") == {"staying@example.edu", "coordinator@example.edu"}
    assert "1 of 2 co-facilitators" in Notification.objects.filter(kind="facilitator_left").first().body
    ended = Notification.objects.get(kind="facilitation_ended", recipient=leaving)
    assert_calendar_apps_accept(ended.attachments[0]["content"], method="CANCEL")
    session.refresh_from_db()
    assert session.coverage_alert_sent_at is None


def test_removing_a_facilitator_in_the_admin_tells_everyone_and_rearms_coverage(
    client, program, coordinator, trained_facilitator
):
    session = _in(2, program)  # past the cut-off: the coordinator can still remove
    removed, staying = trained_facilitator("removed@example.edu"), trained_facilitator("staying@example.edu")
    first = services.facilitation_add(session=session, user=removed)
    second = services.facilitation_add(session=session, user=staying)
    Session.objects.filter(pk=session.pk).update(coverage_alert_sent_at=timezone.now())
    client.force_login(coordinator)
    data = _data(session) | {
        "facilitations-TOTAL_FORMS": "2",
        "facilitations-INITIAL_FORMS": "2",
        "facilitations-0-id": str(first.pk),
        "facilitations-0-session": str(session.pk),
        "facilitations-0-DELETE": "on",
        "facilitations-1-id": str(second.pk),
        "facilitations-1-session": str(session.pk),
    }
    response = client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(session.facilitations.values_list("user__email", flat=True)) == ["staying@example.edu"]
    assert _told("facilitator_left") == {"staying@example.edu", "coordinator@example.edu"}
    assert "was taken off" in Notification.objects.filter(kind="facilitator_left").first().body
    assert _told("facilitation_ended") == {"removed@example.edu"}
    session.refresh_from_db()
    assert session.coverage_alert_sent_at is None


def test_a_facilitator_assigned_in_the_admin_is_told_with_a_calendar_entry(
    client, program, coordinator, trained_facilitator
):
    session, person = _in(5, program), trained_facilitator("new@example.edu")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:sessions_app_facilitation_add"),
        {"session": session.pk, "user": person.pk, "kind": Facilitation.Kind.FACILITATOR},
    )
    assert response.status_code == 302
    notice = Notification.objects.get(kind="facilitation_assigned", recipient=person)
    assert "made you a co-facilitator" in notice.body
    assert_calendar_apps_accept(notice.attachments[0]["content"], method="PUBLISH")
    services.facilitation_add(session=_in(6, program), user=trained_facilitator("self@example.edu"))
    assert _told("facilitation_assigned") == {"new@example.edu"}  # taking a slot yourself needs no notice
