"""Things the fault suite asks the application to do, run with `manage.py shell -c`
against the suite's own database, through the same services the product uses."""

import datetime

from django.utils import timezone

from peers.models import Membership, Role, TrainingProgram, User
from peers.services.notifications import notification_create, notification_retry


def _person(email: str) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"name": "Fault Test"})
    return user


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
    from peers.models import Institution

    return Institution.objects.get_or_create(name="Fault Institution")[0]
