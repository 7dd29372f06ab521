"""Things the fault suite asks the application to do, run with `manage.py shell -c`
against the suite's own database, through the same services the product uses."""

import datetime

from django.db import transaction
from django.utils import timezone

from peers.models import Membership, Notification, Role, TrainingProgram, User
from peers.services.notifications import notification_create, notification_retry


def _person(email: str) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"name": "Fault Test"})
    return user


def _granted(user: User, program: TrainingProgram, role: str) -> None:
    """A support lead or peer supporter is granted as in production: one office administrator
    proposes, another approves. The grant's own notices are dropped before they commit (so no
    delivery is queued for them): the fault cases count only the notices they are about."""
    from peers.services.role_grants import role_grant_approve, role_grant_propose

    if Membership.objects.filter(user=user, program=program, role=role).exists():
        return
    proposer, approver = (
        User.objects.get_or_create(
            email=email, defaults={"name": "Fault Office", "is_staff": True, "is_superuser": True}
        )[0]
        for email in ("office.one@example.edu", "office.two@example.edu")
    )
    with transaction.atomic():
        grant = role_grant_propose(proposer=proposer, user=user, program=program, role=role, reason="Fault suite.")
        role_grant_approve(grant=grant, approver=approver)
        Notification.objects.filter(dedupe_key__startswith=f"role-grant:{grant.pk}:").delete()


def notifications(count: int, prefix: str, due_in_seconds: float = 0.0, spread_seconds: float = 0.0) -> None:
    user = _person("faults@example.edu")
    now = timezone.now()
    for n in range(count):
        due = now + datetime.timedelta(seconds=due_in_seconds + spread_seconds * n / max(count, 1))
        notification_create(
            recipient=user,
            kind="fault_test",
            dedupe_key=f"{prefix}-{n}",
            template="generic",
            context={"subject": f"Fault test {n}", "message": "hello"},
            due_at=due,
        )


def backlog(count: int) -> None:
    """`count` notifications already due, as after a mail outage: rows only, no
    delivery queued, left to the sweep and the drains it starts."""
    user = _person("faults@example.edu")
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="backlog",
            dedupe_key=f"backlog-{n}",
            subject=f"Backlog {n}",
            body="hello\n",
            due_at=now,
        )
        for n in range(count)
    )


def session_with_bookings(trainees: int, starts_in_hours: float) -> None:
    """A session whose reminders are already due (inside the 24-hour window)."""
    from sessions_app.models import Session
    from sessions_app.services import booking_create

    program, _ = TrainingProgram.objects.get_or_create(
        name="Fault Program", institution_id=_institution().pk, defaults={"kind": "residency"}
    )
    starts = timezone.now() + datetime.timedelta(hours=starts_in_hours)
    session = Session.objects.create(
        program=program,
        round_date=starts.date(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=60),
        capacity=trainees,
    )
    for n in range(trainees):
        user = _person(f"trainee{session.pk}-{n}@example.edu")
        Membership.objects.get_or_create(user=user, program=program, role=Role.TRAINEE)
        booking_create(session=session, user=user)


def retry_failed() -> None:
    from peers.models import Notification

    for notification in Notification.objects.filter(failed_at__isnull=False):
        notification_retry(notification=notification)


def _institution():
    """The fault suite's institution, with a well-being office (an office administrator) as
    every deployment has: without one a program's support requests would reach nobody, and
    /healthz rightly says so."""
    from peers.models import Institution

    if not User.objects.filter(is_superuser=True, is_active=True).exists():
        User.objects.create_superuser("office@fault.example", None, name="Fault Office")
    return Institution.objects.get_or_create(name="Fault Institution")[0]


def mentee_contact_overdue() -> None:
    """A mentee's text whose 24-hour answer deadline has already passed."""
    from mentoring.models import Mentee, MentoringCycle, MentorPair
    from mentoring.services import contact_create

    program, _ = TrainingProgram.objects.get_or_create(
        name="Fault Program", institution_id=_institution().pk, defaults={"kind": "residency"}
    )
    cycle, _ = MentoringCycle.objects.get_or_create(
        program=program,
        name="fault-cycle",
        defaults={"starts_on": datetime.date(2026, 7, 1), "ends_on": datetime.date(2027, 6, 30)},
    )
    pair = MentorPair.objects.create(
        cycle=cycle,
        third_year=_person(f"third{cycle.pk}@example.edu"),
        fourth_year=_person(f"fourth{cycle.pk}@example.edu"),
        faculty_mentor=_person(f"faculty{cycle.pk}@example.edu"),
        published_at=timezone.now(),  # only a published pair carries messages
    )
    mentee = Mentee.objects.create(cycle=cycle, pair=pair, user=_person(f"mentee{pair.pk}@example.edu"))
    contact_create(
        mentee=mentee,
        channel="text",
        logged_by=pair.third_year,
        received_at=timezone.now() - datetime.timedelta(hours=24, seconds=5),
    )


def support_request_overdue() -> None:
    """A support request whose first contact is already overdue, with a support lead to tell."""
    from support_requests.models import SupportRequest
    from support_requests.services import request_create

    program, _ = TrainingProgram.objects.get_or_create(
        name="Fault Program", institution_id=_institution().pk, defaults={"kind": "residency"}
    )
    lead = _person("lead@example.edu")
    _granted(lead, program, Role.SUPPORT_LEAD)
    request = request_create(
        program=program,
        requester=None,
        screening={"self_harm": False},
        reason="burnout",
        contact_method="email",
        contact_details="r@example.edu",
    )
    SupportRequest.objects.filter(pk=request.pk).update(first_contact_due_at=timezone.now())


def _session_cookie(user: User) -> str:
    """A signed-in session for `user`, written to the shared database (so every web
    process accepts it); answers the cookie's value."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _one_seat_session(program: TrainingProgram):
    from sessions_app.models import Session

    starts = timezone.now() + datetime.timedelta(days=3)
    return Session.objects.create(
        program=program,
        round_date=starts.date(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        capacity=1,
    )


def _program() -> TrainingProgram:
    return TrainingProgram.objects.get_or_create(
        name="Fault Program", institution_id=_institution().pk, defaults={"kind": "residency"}
    )[0]


def last_seat_and_signed_in_trainees(trainees: int) -> None:
    """A session with one seat and `trainees` signed-in trainees; prints, as JSON, the
    session's id and each trainee's session cookie."""
    import json

    program = _program()
    session = _one_seat_session(program)
    cookies = []
    for n in range(trainees):
        user = _person(f"scale{session.pk}-{n}@example.edu")
        Membership.objects.get_or_create(user=user, program=program, role=Role.TRAINEE)
        cookies.append(_session_cookie(user))
    print(json.dumps({"session": session.pk, "cookies": cookies}))


def seat_support_and_inbox() -> None:
    """What a case needs to act as people: a one-seat session and a signed-in trainee,
    a program taking support requests (support_program), and a signed-in session for
    the recipient of the suite's notifications. Prints them as JSON."""
    import json

    program = _program()
    session = _one_seat_session(program)
    trainee = _person(f"trainee{session.pk}@example.edu")
    Membership.objects.get_or_create(user=trainee, program=program, role=Role.TRAINEE)
    support_program()
    made = {"session": session.pk, "trainee": _session_cookie(trainee), "program": program.pk}
    print(json.dumps({**made, "recipient": _session_cookie(_person("faults@example.edu"))}))


def support_program() -> None:
    """A program that takes support requests, with crisis resources and a support lead;
    prints its id."""
    program, _ = TrainingProgram.objects.get_or_create(
        name="Fault Program", institution_id=_institution().pk, defaults={"kind": "residency"}
    )
    institution = program.institution
    institution.crisis_resources = "Fault Crisis Line: 555-0100"
    institution.save(update_fields=["crisis_resources"])
    _granted(_person("lead@example.edu"), program, Role.SUPPORT_LEAD)
    print(program.pk)


def signed_in(email: str) -> None:
    """Prints, as JSON, a signed-in session cookie for the person with this address."""
    import json

    print(json.dumps(_session_cookie(_person(email))))
