"""Each support sweep claims its requests: two sweeps at once do each piece of work once
(counted, not only hidden by the notifications' dedupe keys)."""

import datetime
import time

import pytest
import time_machine
from django.utils import timezone

from peers.testing.concurrency import run_concurrently
from support_requests import services
from support_requests.services import clock, escalation, offers, purge


@pytest.mark.django_db(transaction=True)
def test_two_escalation_sweeps_at_once_escalate_an_overdue_request_once(make_request, lead, monkeypatch):
    request = make_request()
    original = escalation._escalate

    def slow(request, step):  # hold the claim long enough for the other sweep to look
        original(request, step)
        time.sleep(0.5)

    monkeypatch.setattr(escalation, "_escalate", slow)
    with time_machine.travel(request.first_contact_due_at + datetime.timedelta(minutes=1), tick=True):
        done = run_concurrently(services.first_contact_escalate, services.first_contact_escalate)
    assert sorted(done) == [0, 1]


@pytest.mark.django_db(transaction=True)
def test_two_offer_sweeps_at_once_move_a_lapsed_offer_on_once(make_request, make_supporter, monkeypatch):
    first, second = make_supporter("first@example.edu"), make_supporter("second@example.edu")
    request = make_request()
    services.request_offer(request=request, supporter=first)
    request.refresh_from_db()
    original = offers._lapse

    def slow(requests):  # hold the claim long enough for the other sweep to look
        original(requests)
        time.sleep(0.5)

    monkeypatch.setattr(offers, "_lapse", slow)
    with time_machine.travel(request.offer_expires_at + datetime.timedelta(minutes=1), tick=True):
        done = run_concurrently(services.offers_expire, services.offers_expire)
    assert done in ([0, 1], [1, 0]), done  # without the claim, the second sweep fails on the moved offer
    request.refresh_from_db()
    assert (request.status, request.assigned_to, request.declines.count()) == ("offered", second, 1)


@pytest.mark.django_db(transaction=True)
def test_two_purges_at_once_purge_a_request_once(make_request, monkeypatch):
    request = make_request()
    services.request_close(request=request, outcome="supported")
    original = purge._purge_history

    def slow(request):  # hold the claim long enough for the other sweep to look
        original(request)
        time.sleep(0.5)

    monkeypatch.setattr(purge, "_purge_history", slow)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200), tick=True):
        done = run_concurrently(services.requests_purge, services.requests_purge)
    assert sorted(done) == [0, 1]


@pytest.mark.django_db(transaction=True)
def test_two_resume_sweeps_at_once_start_a_paused_clock_once(make_request, monkeypatch):
    request = make_request()
    services.request_pause(request=request, reason="later", resume_at=timezone.now() + datetime.timedelta(hours=2))
    original = clock.request_resume

    def slow(**kwargs):  # hold the claim long enough for the other sweep to look
        resumed = original(**kwargs)
        time.sleep(0.5)
        return resumed

    monkeypatch.setattr(clock, "request_resume", slow)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3), tick=True):
        done = run_concurrently(services.pauses_resume, services.pauses_resume)
    assert sorted(done) == [0, 1]
    request.refresh_from_db()
    assert request.paused_at is None
