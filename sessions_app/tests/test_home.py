"""My PEERS: a trainee's next session (its join link when near), open offers with their
expiry, the next round not booked; a facilitator's next sessions and attendance to take."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from peers.models import Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory
from sessions_app import services
from sessions_app.models import Session
from sessions_app.tests.factories import SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _virtual(session, link="https://video.example/group-1"):
    Session.objects.filter(pk=session.pk).update(modality="virtual", join_link=link)
    session.refresh_from_db()
    return session


def test_a_trainee_sees_their_next_session_and_its_join_link_only_when_near(client, program, trainee):
    session = _virtual(SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=10)))
    services.booking_create(session=session, user=trainee)
    client.force_login(trainee)
    page = client.get("/").content.decode()
    assert "Your next PEERS session:" in page and f"/sessions/{session.pk}/" in page
    assert "video.example/group-1" not in page
    with time_machine.travel(session.starts_at - datetime.timedelta(minutes=20)):
        client.force_login(trainee)
        page = client.get("/").content.decode()
    assert "Your PEERS session starts at" in page and 'href="https://video.example/group-1"' in page


def test_a_trainee_sees_an_open_offer_with_its_expiry(client, program, make_trainee, trainee):
    session = SessionFactory(program=program, capacity=1)
    booking = services.booking_create(session=session, user=make_trainee("first@example.edu"))
    services.waitlist_join(session=session, user=trainee)
    services.booking_cancel(booking=booking)
    entry = trainee.session_waitlists.get()
    client.force_login(trainee)
    page = client.get("/").content.decode()
    assert f"A seat is held for you until {timezone.localtime(entry.offer_expires_at):%a %b %-d %H:%M}" in page


def test_a_trainee_sees_the_next_round_they_have_not_booked(client, program, make_round, trainee):
    booked, _ = make_round()
    series = SeriesFactory(program=program)
    later = SessionFactory(program=program, series=series, starts_at=booked.starts_at + datetime.timedelta(days=30))
    services.booking_create(session=booked, user=trainee)
    client.force_login(trainee)
    page = client.get("/").content.decode()
    assert f"Next round: {later.topic.title}" in page and "Not booked yet · 10 seats left in 1 group." in page
    assert f"Next round: {booked.topic.title}" not in page


def test_a_facilitator_sees_their_next_sessions_and_attendance_to_take(
    client, program, trained_facilitator, make_trainee
):
    facilitator = trained_facilitator("fac@example.edu")
    past = SessionFactory(program=program)
    coming = SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=6))
    for session in (past, coming):
        services.facilitation_add(session=session, user=facilitator)
    services.booking_create(session=past, user=make_trainee("came@example.edu"))
    Session.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(facilitator)
    page = client.get("/").content.decode()
    assert "Take attendance:" in page and f"/sessions/{past.pk}/attendance/" in page
    assert "You co-facilitate" in page and f"/sessions/{coming.pk}/" in page
    services.attendance_record(session=Session.objects.get(pk=past.pk), present_user_ids=set())
    assert "Take attendance:" not in client.get("/").content.decode()


def test_my_peers_runs_a_fixed_number_of_queries_for_a_trainee_who_facilitates(
    client, program, trainee, trained_facilitator, make_trainee
):
    """session, user, memberships, unread count, authenticator, sessions' offers,
    bookings, next round, facilitations, open slots, support offers, mentee contacts (the
    navigation's badge reuses the unread count)."""
    person = trained_facilitator("both@example.edu")
    MembershipFactory(user=person, program=program, role=Role.TRAINEE)
    client.force_login(person)

    def grow():
        for day in range(2, 12):
            start = timezone.now() + datetime.timedelta(days=day)
            services.booking_create(session=SessionFactory(program=program, starts_at=start), user=person)
            facilitated = SessionFactory(program=program, starts_at=start + datetime.timedelta(hours=3))
            services.facilitation_add(session=facilitated, user=person)
            services.booking_create(session=facilitated, user=make_trainee(f"t{day}@example.edu"))

    assert_fixed_queries(client, "/", 12, grow=grow)


def test_a_facilitator_sees_the_sessions_short_of_a_co_facilitator_soonest_first(client, program, trained_facilitator):
    facilitator = trained_facilitator("fac@example.edu")
    client.force_login(facilitator)
    assert "need a co-facilitator" not in client.get("/").content.decode()
    later = SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=9))
    soon = SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=3))
    page = client.get("/").content.decode()
    assert "2 sessions need a co-facilitator" in page and "/sessions/facilitate/" in page
    assert f"The soonest: {timezone.localtime(soon.starts_at):%a %b %-d at %H:%M}" in page
    services.facilitation_add(session=soon, user=facilitator)
    services.facilitation_add(session=later, user=facilitator)
    assert "need a co-facilitator" not in client.get("/").content.decode()


def test_a_coordinator_sees_the_coming_sessions_short_of_two_facilitators_counted(
    client, program, coordinator, trained_facilitator
):
    client.force_login(coordinator)
    assert "short of two facilitators" not in client.get("/").content.decode()
    full = SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=4))
    for email in ("a@example.edu", "b@example.edu"):
        services.facilitation_add(session=full, user=trained_facilitator(email))
    half = SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=3))
    services.facilitation_add(session=half, user=trained_facilitator("c@example.edu"))
    SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=9))  # none yet
    SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=150))  # past the horizon

    page = client.get("/").content.decode()

    assert "2 coming sessions short of two facilitators" in page
    assert f"/sessions/roster/{program.pk}/" in page
    assert f"the first {timezone.localtime(half.starts_at):%a %b %-d at %H:%M}" in page


def test_nobody_but_the_programs_coordinators_is_told_of_shortfalls(
    client, program, other_program, other_coordinator, trained_facilitator
):
    SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=3))
    client.force_login(other_coordinator)
    assert "short of two facilitators" not in client.get("/").content.decode()
    client.force_login(trained_facilitator("fac@example.edu"))
    assert "short of two facilitators" not in client.get("/").content.decode()


def test_the_coordinators_home_stays_fixed_as_short_sessions_grow(client, program, coordinator):
    """1 session, 2 user, 3 TOTP check, 4 unread count, 5 memberships, then the to-dos:
    6 failed notifications, 7 sessions' offers, 8 bookings, 9 shortfalls, 10 mentee
    contacts waiting, 11 referrals, 12 change requests, 13 escalated contacts, 14 cohorts
    out of bounds, 15 support offers (the navigation's badge reuses the unread count)."""
    client.force_login(coordinator)
    SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=3))

    def grow():
        for day in range(4, 40, 3):
            SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=day))

    assert_fixed_queries(client, "/", 15, grow=grow)
