"""Mentee contacts on the answer clock, and their escalation.

Escalation notices carry when, never the message; notices to mentors never name the
mentee (mentoring.notify). Every action a peer mentor takes on a contact goes through
`mentoring.access.mentee_data_guard()`."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentoring import access, notify
from mentoring.clock import program_today
from mentoring.models import Channel, Contact, Mentee, MentorPair
from mentoring.selectors import coordinators_by_program, on_duty, on_duty_today_by_pair
from peers.models import User

STEP_GAP = datetime.timedelta(hours=24)
# Contacts claimed and escalated per transaction: a batch holds their row locks while it
# renders their notices (a few ms each), so a mentor marking one answered waits that long.
BATCH = 60


def answer_hours(*, pair: MentorPair, channel: str) -> int:
    targets = pair.cycle.program.mentoring_settings
    return targets.response_hours_email if channel == Channel.EMAIL else targets.response_hours_text_call


def contact_create(
    *,
    mentee: Mentee,
    channel: str,
    message: str = "",
    logged_by: User | None = None,
    received_at: datetime.datetime | None = None,
) -> Contact:
    """A mentee's message through the app, or a text/call/email a mentor logs. Starts the clock."""
    if channel not in Channel.values:
        raise ValidationError("Choose text, call or email.")
    pair = mentee.pair
    if pair.published_at is None:
        raise ValidationError("Your mentors are not published yet; you can write to them once they are.")
    if logged_by is not None:
        access.peer_mentor_guard(
            user=logged_by, pair=pair, refusal="Only this mentee's mentors can log a contact for them."
        )
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError("A contact can't be in the future.")
    contact = Contact.objects.create(
        mentee=mentee,
        pair=pair,
        channel=channel,
        message=message.strip() or None,
        logged_by=logged_by,
        received_at=received_at,
        due_at=received_at + datetime.timedelta(hours=answer_hours(pair=pair, channel=channel)),
    )
    if logged_by is None:
        for mentor in on_duty(pair=pair, day=program_today(pair.cycle.program)):
            notify.mentee_contact(contact, mentor)
    return contact


def contact_mark_answered(*, contact: Contact, by: User) -> None:
    """Only the mentors on duty today mark a contact answered: the pair's mentors who
    are not away, or, while both are, the faculty mentor covering for them."""
    pair = contact.pair
    access.mentee_data_guard(user=by, pair=pair)
    if by.pk not in {person.pk for person in on_duty(pair=pair, day=program_today(pair.cycle.program))}:
        raise ValidationError(not_on_duty_refusal(pair, by))
    Contact.objects.unanswered().filter(pk=contact.pk).update(answered_at=timezone.now(), answered_by=by)


def not_on_duty_refusal(pair: MentorPair, by: User) -> str:
    if pair.has_peer_mentor(by):
        return "You're away today, so your partner is on duty: they answer and mark it answered."
    if by.pk == pair.faculty_mentor_id:
        return "The peer mentors are on duty: you answer contacts only while both of them are away."
    return "Only the mentors on duty for this mentee can answer it."


def contacts_escalate() -> int:
    """Sweep, three steps, each exactly once and none once answered:

    1. at the deadline: the mentors on duty (the partner if one is away; the faculty
       mentor if both are);
    2. 24 hours later: the faculty mentor;
    3. 24 hours after that: the program's coordinators.
    Each step claims its due contacts in batches with SELECT ... FOR UPDATE SKIP LOCKED
    and stamps them in the same transaction as their notifications, which a batch
    creates together: a fixed number of queries per batch, however many contacts.
    """
    now = timezone.now()
    steps = (
        ("mentors_alerted_at", Q(due_at__lte=now), _alert_mentors),
        ("faculty_alerted_at", Q(mentors_alerted_at__isnull=False, due_at__lte=now - STEP_GAP), _alert_faculty),
        (
            "coordinator_alerted_at",
            Q(faculty_alerted_at__isnull=False, due_at__lte=now - 2 * STEP_GAP),
            _alert_coordinators,
        ),
    )
    return sum(_escalate_step(stamp, condition, alert, now) for stamp, condition, alert in steps)


def _escalate_step(stamp: str, condition: Q, alert: Callable[[list[Contact]], None], now: datetime.datetime) -> int:
    """Claim a batch of this step's due contacts, alert, stamp; until none is left."""
    done = 0
    while True:
        with transaction.atomic():
            claimed = list(
                Contact.objects.select_for_update(skip_locked=True, of=("self",))
                .unanswered()
                # Always true before the last step (the steps run in order); it lets the
                # partial index hold only contacts that can still escalate.
                .filter(condition, Q(coordinator_alerted_at__isnull=True), **{f"{stamp}__isnull": True})
                .order_by("due_at")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not claimed:
                return done
            # Loaded once claimed: an idle sweep plans no nine-table join (7 ms a step).
            contacts = list(
                Contact.objects.select_related(
                    "pair__cycle__program",
                    "pair__third_year",
                    "pair__fourth_year",
                    "pair__faculty_mentor",
                    "mentee__user",
                )
                .filter(pk__in=claimed)
                .order_by("due_at", "pk")
            )
            alert(contacts)
            Contact.objects.filter(pk__in=claimed).update(**{stamp: now})
            done += len(claimed)
        if len(claimed) < BATCH:  # nothing more due, or the rest held by another sweep
            return done


def _alert_mentors(contacts: list[Contact]) -> None:
    duty = on_duty_today_by_pair(pairs=[contact.pair for contact in contacts])
    notify.contact_overdue([(contact, person) for contact in contacts for person in duty[contact.pair_id]])


def _alert_faculty(contacts: list[Contact]) -> None:
    duty = on_duty_today_by_pair(pairs=[contact.pair for contact in contacts])
    notify.contact_escalated_faculty(
        [(contact, [p.pk for p in duty[contact.pair_id]] == [contact.pair.faculty_mentor_id]) for contact in contacts]
    )


def _alert_coordinators(contacts: list[Contact]) -> None:
    by_program = coordinators_by_program(program_ids={contact.pair.cycle.program_id for contact in contacts})
    notify.contact_escalated_coordinator(
        [(contact, person) for contact in contacts for person in by_program.get(contact.pair.cycle.program_id, [])]
    )
