"""My PEERS for a peer supporter: what is offered to them with the time left to answer,
then what they accepted with the time left for first contact, nearest first."""

import datetime

import pytest
import time_machine

from peers.testing.queries import assert_fixed_queries
from support_requests import services

pytestmark = pytest.mark.django_db


def test_a_supporter_sees_an_offer_with_the_time_left_to_answer_it(client, make_supporter, make_request):
    with time_machine.travel(datetime.datetime(2026, 11, 3, 14, tzinfo=datetime.UTC), tick=False) as clock:
        supporter = make_supporter("sam@example.edu")  # trained by then, not on the day the suite runs
        request = make_request()
        services.request_offer(request=request, supporter=supporter)
        clock.shift(datetime.timedelta(hours=1, minutes=30))
        client.force_login(supporter)  # signed in then (a session idle for an hour ends)
        page = client.get("/").content.decode()
    assert f"Support request {request.reference} is offered to you" in page
    assert "Accept or decline it by" in page and "2 h 30 min left" in page  # the demo program gives 4 hours


def test_an_accepted_request_waits_on_home_until_first_contact_then_goes(client, make_supporter, make_request):
    supporter = make_supporter("sam@example.edu")
    request = make_request()
    services.request_offer(request=request, supporter=supporter)
    services.request_accept(request=request, supporter=supporter)
    request.refresh_from_db()
    with time_machine.travel(request.first_contact_due_at + datetime.timedelta(minutes=45), tick=False):
        client.force_login(supporter)
        page = client.get("/").content.decode()
    assert f"Make first contact for request {request.reference}" in page and "overdue by 45 min" in page
    services.request_record_contact(request=request)
    assert request.reference not in client.get("/").content.decode()


def test_the_nearest_deadline_comes_first(client, make_supporter, make_request):
    supporter = make_supporter("sam@example.edu", capacity=3)
    accepted, offered = make_request(), make_request()
    services.request_offer(request=accepted, supporter=supporter)
    services.request_accept(request=accepted, supporter=supporter)
    with time_machine.travel(datetime.timedelta(hours=1)):
        services.request_offer(request=offered, supporter=supporter)
    client.force_login(supporter)
    page = client.get("/").content.decode()
    accepted.refresh_from_db()
    offered.refresh_from_db()
    first, second = sorted(
        [accepted, offered], key=lambda r: r.offer_expires_at if r is offered else r.first_contact_due_at
    )
    assert page.index(first.reference) < page.index(second.reference)


def test_a_supporter_s_home_runs_a_fixed_number_of_queries(client, make_supporter, make_request):
    """session, user, memberships, authenticator, unread count (the navigation's badge
    reuses it), sessions' offers and bookings, mentee contacts, support requests waiting on me."""
    supporter = make_supporter("sam@example.edu", capacity=12)
    client.force_login(supporter)

    def grow():
        for n in range(10):
            request = make_request()
            services.request_offer(request=request, supporter=supporter)
            if n % 2:
                services.request_accept(request=request, supporter=supporter)

    assert_fixed_queries(client, "/", 9, grow=grow)
