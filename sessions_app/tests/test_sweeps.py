import datetime

import pytest
import time_machine
from django.utils import timezone

from peers.models import Notification
from peers.services.sweeps import sweeps_run
from peers.testing.concurrency import run_concurrently
from peers.tests.factories import MembershipFactory
from sessions_app import services
from sessions_app.models import SessionSettings
from sessions_app.selectors import feedback_figures, program_figures
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _kinds():
    return sorted(Notification.objects.values_list("kind", "recipient__email"))


def test_reminders_go_out_once_24_hours_before_to_trainees_and_facilitators(session, trainee, trained_facilitator):
    services.booking_create(session=session, user=trainee)
    facilitator = trained_facilitator("fac@example.edu")
    services.facilitation_add(session=session, user=facilitator)
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=25)):
        assert services.sessions_remind() == 0
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=23)):
        assert services.sessions_remind() == 1
        assert services.sessions_remind() == 0
    reminders = Notification.objects.filter(kind="session_reminder")
    assert sorted(reminders.values_list("recipient__email", flat=True)) == ["fac@example.edu", "trainee@example.edu"]


def test_the_reminder_window_is_per_program(session, trainee):
    session.program.session_settings.session_reminder_hours = 48
    session.program.session_settings.save()
    services.booking_create(session=session, user=trainee)
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=47)):
        assert services.sessions_remind() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_remind_each_person_once(program, make_trainee):
    sessions = [
        SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(hours=5)) for _ in range(10)
    ]
    for n, session in enumerate(sessions):
        services.booking_create(session=session, user=make_trainee(f"r{n}@example.edu"))
    assert not any(
        isinstance(r, Exception) for r in run_concurrently(services.sessions_remind, services.sessions_remind)
    )
    assert Notification.objects.filter(kind="session_reminder").count() == 10


def test_coordinator_is_told_of_a_session_short_of_facilitators_a_week_out(session, coordinator, trained_facilitator):
    services.facilitation_add(session=session, user=trained_facilitator("one@example.edu"))
    assert services.sessions_alert_coverage() == 1
    assert services.sessions_alert_coverage() == 0
    alert = Notification.objects.get(kind="coverage_alert")
    assert alert.recipient == coordinator and "1 of 2" in alert.body


def test_attendance_then_feedback_requests_after_the_session(session, trainee, trained_facilitator):
    services.booking_create(session=session, user=trainee)
    services.facilitation_add(session=session, user=trained_facilitator("fac@example.edu"))
    with time_machine.travel(session.starts_at + datetime.timedelta(minutes=1)):
        sweeps_run()
    assert Notification.objects.filter(kind="attendance_request", recipient__email="fac@example.edu").exists()
    with time_machine.travel(session.ends_at + datetime.timedelta(minutes=1)):
        sweeps_run()
        sweeps_run()
    (request,) = Notification.objects.filter(kind="feedback_request")
    assert request.recipient == trainee and "anonymous" in request.body


def test_program_figures(program, make_trainee):
    session = SessionFactory(program=program)
    people = [make_trainee(f"p{n}@example.edu") for n in range(4)]
    bookings = [services.booking_create(session=session, user=person) for person in people]
    with time_machine.travel(session.starts_at + datetime.timedelta(minutes=5)):
        services.attendance_record(session=session, present_user_ids={p.pk for p in people[:3]})
    with time_machine.travel(session.ends_at + datetime.timedelta(hours=1)):
        for booking, rating in zip(bookings[:2], (4, 5), strict=True):
            services.feedback_submit(booking=booking, rating=rating, comment="")
        figures = program_figures(program)
        feedback = feedback_figures(program)
    assert (figures["held"], figures["booked"], figures["no_shows"]) == (1, 4, 1)
    assert figures["attendance_rate"] == 75
    assert feedback == []  # two people's ratings in an open month: nothing to show


def test_a_withdrawal_inside_the_week_alerts_the_coordinator(session, coordinator, trained_facilitator):
    SessionSettings.objects.filter(program=session.program).update(facilitator_withdraw_hours=24)
    first = services.facilitation_add(session=session, user=trained_facilitator("a@example.edu"))
    services.facilitation_add(session=session, user=trained_facilitator("b@example.edu"))
    assert services.sessions_alert_coverage() == 0  # fully covered: nothing sent, nothing stamped
    services.facilitation_withdraw(facilitation=first)
    assert services.sessions_alert_coverage() == 1
    assert Notification.objects.filter(kind="coverage_alert", recipient=coordinator).count() == 1


def test_program_figures_count_only_this_programs_ended_sessions_and_their_seats(program, other_program, make_trainee):
    people = [make_trainee(f"f{n}@example.edu") for n in range(3)]
    ended = SessionFactory(program=program)
    empty = SessionFactory(program=program, starts_at=ended.starts_at + datetime.timedelta(hours=2))
    cancelled = SessionFactory(program=program, starts_at=ended.starts_at + datetime.timedelta(hours=4))
    later = SessionFactory(program=program, starts_at=ended.starts_at + datetime.timedelta(days=30))
    elsewhere = SessionFactory(program=other_program, starts_at=ended.starts_at)
    for person in people:
        services.booking_create(session=ended, user=person)
        services.booking_create(session=later, user=person)
    services.booking_create(session=cancelled, user=people[0])
    services.booking_cancel(booking=services.booking_create(session=empty, user=people[1]))
    for person in people:
        MembershipFactory(user=person, program=other_program)
        services.booking_create(session=elsewhere, user=person)
    services.session_cancel(session=cancelled)
    with time_machine.travel(ended.starts_at + datetime.timedelta(minutes=5)):
        services.attendance_record(session=ended, present_user_ids={people[0].pk})
    with time_machine.travel(empty.ends_at + datetime.timedelta(hours=5)):
        figures = program_figures(program)
    # the ended session only: 3 seats, 1 present, 2 no-shows; the empty one was not held
    assert (figures["held"], figures["booked"], figures["attended"], figures["no_shows"]) == (1, 3, 1, 2)
    assert figures["attendance_rate"] == 33
