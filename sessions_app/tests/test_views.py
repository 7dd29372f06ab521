import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.testing.concurrency import run_concurrently
from peers.testing.queries import assert_fixed_queries, page_queries
from peers.tests.factories import MembershipFactory, UserFactory
from sessions_app import services
from sessions_app.models import Booking, Feedback, Session
from sessions_app.tests.factories import SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_trainee_sees_and_books_a_session_of_their_program(client, session, trainee):
    client.force_login(trainee)
    assert session.topic.title in client.get(reverse("sessions:list")).content.decode()
    response = client.post(reverse("sessions:book", args=[session.pk]), follow=True)
    assert "You're booked" in response.content.decode()
    assert Booking.objects.filter(session=session, user=trainee, status="booked").exists()
    mine = client.get(reverse("sessions:mine")).content.decode()
    assert session.topic.title in mine


def test_join_link_only_for_the_booked_and_facilitators(client, session, trainee):
    session.join_link = "https://video.example/room-42"
    session.modality = "virtual"
    session.save()
    client.force_login(trainee)
    assert "room-42" not in client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    services.booking_create(session=session, user=trainee)
    assert "room-42" in client.get(reverse("sessions:detail", args=[session.pk])).content.decode()


def test_a_trainee_of_another_program_gets_404(client, session, other_program):
    stranger = UserFactory()
    MembershipFactory(user=stranger, program=other_program, role=Role.TRAINEE)
    client.force_login(stranger)
    assert client.get(reverse("sessions:detail", args=[session.pk])).status_code == 404
    assert client.post(reverse("sessions:book", args=[session.pk])).status_code == 404
    assert session.topic.title not in client.get(reverse("sessions:list")).content.decode()
    assert not Booking.objects.exists()


def test_a_full_session_offers_the_waitlist_with_a_position(client, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    services.booking_create(session=session, user=make_trainee("first@example.edu"))
    second = make_trainee("second@example.edu")
    client.force_login(second)
    page = client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    assert "This session is full" in page and "Join the waitlist" in page
    response = client.post(reverse("sessions:waitlist_join", args=[session.pk]), follow=True)
    assert "on the waitlist, number 1" in response.content.decode()


def test_booking_a_cancelled_session_gets_a_message_not_an_error(client, session, trainee):
    services.session_cancel(session=session)
    client.force_login(trainee)
    response = client.post(reverse("sessions:book", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert "was cancelled" in response.content.decode()


@pytest.mark.parametrize("query", ["month=November", "modality=teleport", "topic=abc", "month=2026-13"])
def test_bad_filters_show_a_message_and_the_list(client, session, trainee, query):
    client.force_login(trainee)
    response = client.get(reverse("sessions:list") + "?" + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page or "Select a valid choice" in page or "Choose a month" in page


def test_feedback_is_anonymous_once_and_validated(client, session, trainee):
    booking = services.booking_create(session=session, user=trainee)
    client.force_login(trainee)

    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    bad = client.post(reverse("sessions:feedback", args=[booking.pk]), {"rating": "9"})
    assert bad.status_code == 200 and "Choose a rating from 1 to 5" in bad.content.decode()
    assert not Feedback.objects.exists()
    client.post(reverse("sessions:feedback", args=[booking.pk]), {"rating": "4", "comment": "Helpful"})
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (4, "Helpful")
    assert not hasattr(feedback, "user") and not hasattr(feedback, "booking")
    again = client.post(reverse("sessions:feedback", args=[booking.pk]), {"rating": "5"}, follow=True)
    assert "already given feedback" in again.content.decode()
    assert Feedback.objects.count() == 1


def test_someone_elses_feedback_link_is_404(client, session, trainee, outsider):
    booking = services.booking_create(session=session, user=trainee)
    client.force_login(outsider)
    assert client.get(reverse("sessions:feedback", args=[booking.pk])).status_code == 404


def test_facilitator_takes_attendance(client, session, trained_facilitator, make_trainee):
    facilitator = trained_facilitator("fac@example.edu")
    services.facilitation_add(session=session, user=facilitator)
    came, missed = make_trainee("came@example.edu"), make_trainee("missed@example.edu")
    services.booking_create(session=session, user=came)
    services.booking_create(session=session, user=missed)
    client.force_login(facilitator)
    url = reverse("sessions:attendance", args=[session.pk])
    early = client.post(url, {"present": [str(came.pk)]}, follow=True)
    assert "Attendance opens when the session starts" in early.content.decode()
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(minutes=55),
    )
    response = client.post(url, {"present": [str(came.pk)]}, follow=True)
    assert "Attendance saved for 2 booked trainees" in response.content.decode()
    assert dict(Booking.objects.values_list("user__email", "attended")) == {
        "came@example.edu": True,
        "missed@example.edu": False,
    }


def test_only_the_sessions_facilitators_take_attendance(client, session, trainee):
    client.force_login(trainee)
    assert client.get(reverse("sessions:attendance", args=[session.pk])).status_code == 404


def test_facilitator_signs_up_for_an_open_slot_and_states_availability(client, session, trained_facilitator):
    facilitator = trained_facilitator("open@example.edu")
    client.force_login(facilitator)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    assert "I&#x27;ll co-facilitate" in page or "I'll co-facilitate" in page
    client.post(reverse("sessions:facilitate_take", args=[session.pk]))
    assert session.facilitations.filter(user=facilitator).exists()
    bad = client.post(reverse("sessions:facilitate"), {"program": session.program_id, "month": "soon"})
    assert "Choose a month" in bad.content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    client.post(reverse("sessions:facilitate"), {"program": session.program_id, "month": month, "note": "Tuesdays"})
    assert facilitator.availabilities.get().note == "Tuesdays"


def test_session_list_runs_a_fixed_number_of_queries(client, program, trainee, make_trainee):
    """session, user, memberships, topics for the filter, the page of rounds (one more
    than it shows, no count) with their totals and my booking / waitlist / facilitation
    flags, nav unread count."""
    client.force_login(trainee)
    SessionFactory(program=program)

    def grow():
        series = SeriesFactory(program=program)
        for day in range(1, 31):  # more rounds than one page holds, each of three groups
            start = timezone.now() + datetime.timedelta(days=day, hours=1)
            for number in (1, 2, 3):
                group = SessionFactory(program=program, series=series, group_number=number, starts_at=start)
                services.booking_create(session=group, user=MembershipFactory(program=program).user)
        services.booking_create(session=group, user=trainee)

    assert_fixed_queries(client, reverse("sessions:list"), 6, grow=grow)


def test_session_page_runs_a_fixed_number_of_queries(client, session, trainee, make_trainee, trained_facilitator):
    client.force_login(trainee)
    services.booking_create(session=session, user=trainee)
    # session, user, memberships, the session with topic/program/series and its
    # facilitators (2), my booking, my waitlist entry, nav unread count
    first = len(page_queries(client, reverse("sessions:detail", args=[session.pk])))
    assert first == 8
    for n in range(8):
        services.booking_create(session=session, user=make_trainee(f"more{n}@example.edu"))
    services.facilitation_add(session=session, user=trained_facilitator("x@example.edu"))
    services.facilitation_add(session=session, user=trained_facilitator("y@example.edu"))
    assert len(page_queries(client, reverse("sessions:detail", args=[session.pk]))) == first


def test_roster_shows_training_shortfall_and_runs_fixed_queries(client, program, coordinator, trained_facilitator):
    for _ in range(30):
        MembershipFactory(program=program, role=Role.TRAINEE)
    trained_facilitator("a@example.edu")
    client.force_login(coordinator)
    url = reverse("sessions:roster", args=[program.pk])
    page = client.get(url).content.decode()
    assert "Short by" in page  # 30 trainees in groups of 10 need 6 co-facilitators; 1 is trained
    # session, user, memberships (nav and scope), coordinated programs, members with
    # their yearly counts, their training records, their upcoming facilitations, trainee
    # count, figures (held, bookings, upcoming coverage), the first feedback and the
    # stored feedback months, nav unread count, ...; the coming months' coverage: their
    # sessions, the facilitators' roles, their stated availability, their training records
    first = len(page_queries(client, url))
    assert first == 18
    for n in range(6):
        person = trained_facilitator(f"more{n}@example.edu")
        services.facilitation_add(session=SessionFactory(program=program), user=person)
    assert len(page_queries(client, url)) == first
    assert "No shortfall" in client.get(url).content.decode()


def test_roster_of_another_program_is_404(client, coordinator, other_program):
    client.force_login(coordinator)
    assert client.get(reverse("sessions:roster", args=[other_program.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_taps_on_accept_at_once_both_land_on_the_booked_page(program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    first, waiting = make_trainee("first@example.edu"), make_trainee("waiting@example.edu")
    booking = services.booking_create(session=session, user=first)
    services.waitlist_join(session=session, user=waiting)
    services.booking_cancel(booking=booking)  # the seat is offered to `waiting`
    taps = [Client(), Client()]
    for tap in taps:
        tap.force_login(waiting)
    url = reverse("sessions:offer_accept", args=[session.pk])
    responses = run_concurrently(*(lambda tap=tap: tap.post(url, follow=True) for tap in taps))
    for response in responses:
        assert response.status_code == 200
        assert "The seat is yours" in response.content.decode()
    assert Booking.objects.filter(session=session, user=waiting, status="booked").count() == 1


def test_facilitate_runs_a_fixed_number_of_queries_however_many_slots_are_open(client, program, trained_facilitator):
    """session, user, memberships, unread count (navigation), the open slots with their
    topics, the form's programs, my availability."""
    facilitator = trained_facilitator("slots@example.edu")
    client.force_login(facilitator)
    SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=2))

    def grow():
        for day in range(3, 60):
            SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=day))

    assert_fixed_queries(client, reverse("sessions:facilitate"), 7, grow=grow)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    soonest = Session.objects.order_by("starts_at").first()
    assert f'href="/sessions/{soonest.pk}/"' in page and f'action="/sessions/{soonest.pk}/facilitate/"' in page
    # 58 open slots: 20 a page, soonest first, the pages in order without a gap or a repeat
    shown = []
    for number in (1, 2, 3):
        page = client.get(reverse("sessions:facilitate") + f"?page={number}").content.decode()
        shown += [s.pk for s in Session.objects.order_by("starts_at") if f'"/sessions/{s.pk}/facilitate/"' in page]
        assert ("Later" in page) == (number < 3) and ("Earlier" in page) == (number > 1)
    assert shown == list(Session.objects.order_by("starts_at", "pk").values_list("pk", flat=True))
    assert "past the last one" in client.get(reverse("sessions:facilitate") + "?page=4").content.decode()


def test_my_sessions_runs_a_fixed_number_of_queries_however_many_i_hold(
    client, program, trainee, trained_facilitator, make_trainee
):
    """session, user, memberships, unread count (navigation), my bookings, my waitlist
    places, my facilitations, each with its session and topic."""
    client.force_login(trainee)
    services.booking_create(session=SessionFactory(program=program), user=trainee)

    def grow():
        for day in range(2, 12):
            start = timezone.now() + datetime.timedelta(days=day)
            services.booking_create(session=SessionFactory(program=program, starts_at=start), user=trainee)
            full = SessionFactory(program=program, starts_at=start + datetime.timedelta(hours=3), capacity=1)
            services.booking_create(session=full, user=make_trainee(f"first{day}@example.edu"))
            services.waitlist_join(session=full, user=trainee)

    assert_fixed_queries(client, reverse("sessions:mine"), 7, grow=grow)
