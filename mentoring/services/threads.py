"""Answers inside the app: a mentor on duty replies in a contact's thread, and the
first reply stops the answer clock.

Who may reply is who may mark the contact answered (mentoring.services.contacts): the
pair's peer mentors who are not away today, or the faculty mentor while both are."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring import access, notify
from mentoring.clock import program_today
from mentoring.models import REPLY_MAX_LENGTH, THREAD_MAX_REPLIES, Contact, ContactReply
from mentoring.selectors import on_duty
from mentoring.services.contacts import not_on_duty_refusal
from peers.models import User


def contact_reply(*, contact: Contact, by: User, body: str) -> ContactReply:
    """1. Refuse anyone not on duty for the pair today, and an empty or long reply.
    2. Store the reply, encrypted.
    3. Stop the clock: stamp the contact answered, at this reply's time, only while it
       is unanswered, so the first answer (here or "answered outside the app") stands.
    4. Tell the mentee that their mentors answered (the email carries no words of it)."""
    pair = contact.pair
    access.mentee_data_guard(user=by, pair=pair)
    if by.pk not in {person.pk for person in on_duty(pair=pair, day=program_today(pair.cycle.program))}:
        raise ValidationError(not_on_duty_refusal(pair, by))
    body = _checked(contact, body)
    with transaction.atomic():
        reply = ContactReply.objects.create(contact=contact, author=by, body=body, created_at=timezone.now())
        Contact.objects.unanswered().filter(pk=contact.pk).update(answered_at=reply.created_at, answered_by=by)
        notify.contact_replied(reply)
    return reply


def contact_follow_up(*, contact: Contact, by: User, body: str) -> ContactReply:
    """The mentee adds to their own thread (a thank-you, a detail). It tells the mentors
    on duty, and moves no clock: one still waiting keeps its deadline, an answered one
    stays answered (a new question is a new message, with its own clock)."""
    if contact.mentee.user_id != by.pk:
        raise ValidationError("Only the mentee who wrote can add to this conversation.")
    body = _checked(contact, body)
    with transaction.atomic():
        reply = ContactReply.objects.create(contact=contact, author=by, body=body, created_at=timezone.now())
        for mentor in on_duty(pair=contact.pair, day=program_today(contact.pair.cycle.program)):
            notify.mentee_follow_up(reply, mentor)
    return reply


def _checked(contact: Contact, body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError("Write your reply first.")
    if len(body) > REPLY_MAX_LENGTH:
        raise ValidationError(f"A reply can be {REPLY_MAX_LENGTH} characters at most; yours has {len(body)}.")
    if contact.content_purged_at is not None:
        raise ValidationError("This conversation was removed after the program's retention period.")
    if ContactReply.objects.filter(contact=contact).count() >= THREAD_MAX_REPLIES:
        raise ValidationError(
            f"This conversation has reached {THREAD_MAX_REPLIES} replies. Please write a new message from the "
            "mentoring page instead."
        )
    return body
