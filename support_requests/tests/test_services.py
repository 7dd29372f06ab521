import datetime

import pghistory.models
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from peers.models import Notification
from peers.tests.factories import UserFactory
from support_requests import selectors, services
from support_requests.models import SupporterAway, SupportNote, SupportRequest
from support_requests.selectors import queue_for

pytestmark = pytest.mark.django_db


def test_a_screened_out_request_never_reaches_a_peer_supporter(program, make_request, make_supporter, lead):
    program.support_settings.auto_assign = True
    program.support_settings.save()
    supporter = make_supporter("s@example.edu")
    request = make_request(
        screening={"self_harm": True, "substance": False, "mental_health": False, "medical_advice": False}
    )
    assert request.status == "needs_referral" and request.assigned_to is None
    assert not Notification.objects.filter(recipient=supporter).exists()
    assert Notification.objects.filter(recipient=lead, kind="support_new").exists()  # never silently dropped
    assert request not in queue_for(supporter)
    with pytest.raises(ValidationError):
        services.request_offer(request=request, supporter=supporter)


def test_matching_ranks_with_reasons_and_honours_every_exclusion(program, make_request, make_supporter, trainee):
    best = make_supporter("best@example.edu", specialty="Surgery", career_stage="resident", department="Medicine")
    same_department = make_supporter("dept@example.edu", specialty="Surgery", department="Surgery")
    evaluator = make_supporter("evaluator@example.edu", specialty="Surgery")
    evaluator.supporter_profile.evaluates.add(trainee)
    away = make_supporter("away@example.edu", specialty="Surgery")
    SupporterAway.objects.create(
        profile=away.supporter_profile,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    full = make_supporter("full@example.edu", capacity=1)
    services.request_accept(request=_offered(make_request(), full), supporter=full)
    plain = make_supporter("plain@example.edu")
    request = make_request(
        requester=trainee,
        requester_department="Surgery",
        preferences={"specialty": "surgery", "career_stage": "resident", "not_my_department": True},
    )
    suggestions = selectors.supporter_suggestions(request)
    names = [s.profile.user for s in suggestions]
    assert names == [best, plain]
    assert "same specialty (Surgery)" in suggestions[0].reasons
    assert same_department not in names and evaluator not in names and away not in names and full not in names


def _offered(request, supporter):
    services.request_offer(request=request, supporter=supporter)
    request.refresh_from_db()
    return request


def test_a_decline_or_silence_moves_the_request_to_the_next_suggestion(program, make_request, make_supporter):
    first = make_supporter("first@example.edu", specialty="Surgery")
    second = make_supporter("second@example.edu")
    request = make_request(preferences={"specialty": "Surgery"})
    services.request_offer(request=request, supporter=first)
    services.request_decline(request=request, supporter=first)
    request.refresh_from_db()
    assert (request.status, request.assigned_to) == ("offered", second)
    with time_machine.travel(request.offer_expires_at + datetime.timedelta(minutes=1)):
        assert services.offers_expire() == 1
    request.refresh_from_db()
    assert (request.status, request.assigned_to) == ("new", None)  # nobody left: back to the leads


def test_first_contact_escalates_to_leads_then_to_everyone_each_step_once(program, make_request, lead, coordinator):
    request = make_request(urgency="today")
    assert request.first_contact_due_at - request.created_at == datetime.timedelta(hours=4)
    with time_machine.travel(request.created_at + datetime.timedelta(hours=3)):
        assert services.first_contact_escalate() == 0
    with time_machine.travel(request.created_at + datetime.timedelta(hours=5)):
        assert services.first_contact_escalate() == 1
        assert services.first_contact_escalate() == 0
    assert Notification.objects.filter(kind="support_due", recipient=lead).count() == 1
    assert not Notification.objects.filter(kind="support_overdue").exists()
    with time_machine.travel(request.created_at + datetime.timedelta(hours=8, minutes=1)):
        assert services.first_contact_escalate() == 1
        assert services.first_contact_escalate() == 0
    overdue = Notification.objects.filter(kind="support_overdue")
    assert set(overdue.values_list("recipient", flat=True)) == {lead.pk, coordinator.pk}
    assert all(request.reference in n.subject and "Night shifts" not in n.body for n in overdue)


def test_no_escalation_once_contacted(program, make_request, make_supporter, lead):
    supporter = make_supporter("s@example.edu")
    request = _offered(make_request(), supporter)
    services.request_accept(request=request, supporter=supporter)
    services.request_record_contact(request=request)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert services.first_contact_escalate() == 0


def test_notes_only_where_the_program_keeps_them(program, make_request, make_supporter):
    supporter = make_supporter("s@example.edu")
    request = make_request()
    services.note_add(request=request, author=supporter, text="Called, will follow up Friday.")
    program.support_settings.notes_allowed = False
    program.support_settings.save()
    request.refresh_from_db()
    with pytest.raises(ValidationError, match="keeps no notes"):
        services.note_add(request=request, author=supporter, text="x")


def test_purge_empties_closed_requests_after_retention_and_keeps_counts(program, make_request, make_supporter):
    supporter = make_supporter("s@example.edu")
    request = make_request(requester=UserFactory())
    services.note_add(request=request, author=supporter, text="A note")
    services.request_close(request=request, outcome="supported")
    open_request = make_request()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=179)):
        assert services.requests_purge() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=181)):
        assert services.requests_purge() == 1
    request.refresh_from_db()
    assert (request.description, request.contact_details, request.requester) == (None, None, None)
    assert (request.reason, request.outcome, request.purged_at is not None) == ("burnout", "supported", True)
    assert not SupportNote.objects.filter(request=request).exists()
    assert not SupportRequest.pgh_event_model.objects.filter(pgh_obj_id=request.pk).exists()
    open_request.refresh_from_db()
    assert open_request.description == "Night shifts are wearing me down."


def test_an_urgent_request_is_not_held_up_behind_an_earlier_deadline(program, make_request, lead):
    slow = make_request()  # due at +24 h, overdue at +48 h
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=21)):
        urgent = make_request(urgency="today")  # due at +25 h, overdue at +29 h
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=30)):
        services.first_contact_escalate()
    urgent.refresh_from_db()
    slow.refresh_from_db()
    assert urgent.overdue_alerted_at is not None and slow.overdue_alerted_at is None


def test_past_and_future_absences_do_not_make_a_supporter_away_today(make_request, make_supporter):
    supporter = make_supporter("s@example.edu")
    today = timezone.localdate()
    SupporterAway.objects.create(
        profile=supporter.supporter_profile,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=10),
    )
    SupporterAway.objects.create(
        profile=supporter.supporter_profile,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=20),
    )
    assert [s.profile.user for s in selectors.supporter_suggestions(make_request())] == [supporter]


def test_nothing_can_be_added_to_a_closed_request(make_request, make_supporter):
    supporter = make_supporter("s@example.edu")
    request = make_request()
    services.request_close(request=request, outcome="declined")
    request.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.note_add(request=request, author=supporter, text="late note")
    with pytest.raises(ValidationError, match="closed"):
        services.referral_add(request=request, resource="crisis")


def test_purge_removes_who_and_where_from_history(make_request, make_supporter, trainee):
    supporter = make_supporter("s@example.edu")
    with pghistory.context(user=trainee.pk, url="/support/"):
        request = make_request(requester=trainee)
    services.note_add(request=request, author=supporter, text="note")
    services.request_close(request=request, outcome="supported")
    contexts = set(
        SupportRequest.pgh_event_model.objects.filter(pgh_obj_id=request.pk).values_list("pgh_context_id", flat=True)
    ) - {None}
    assert contexts
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200)):
        services.requests_purge()
    assert not pghistory.models.Context.objects.filter(pk__in=contexts).exists()
    assert SupportRequest.objects.filter(pk=request.pk, purged_at__isnull=False).exists()
