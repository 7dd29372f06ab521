"""Answers inside the app: a mentor on duty replies in a contact's thread, and the
first reply stops the answer clock.

Who may reply is who may mark the contact answered (mentoring.services.contacts): the
pair's peer mentors who are not away today, or the faculty mentor while both are."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring import access, notify
from mentoring.clock import program_today
from mentoring.models import REPLY_MAX_LENGTH, Contact, ContactReply
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
    body = body.strip()
    if not body:
        raise ValidationError("Write your reply first.")
    if len(body) > REPLY_MAX_LENGTH:
        raise ValidationError(f"A reply can be {REPLY_MAX_LENGTH} characters at most; yours has {len(body)}.")
    if contact.content_purged_at is not None:
        raise ValidationError("This conversation was removed after the program's retention period.")
    with transaction.atomic():
        reply = ContactReply.objects.create(contact=contact, author=by, body=body, created_at=timezone.now())
        Contact.objects.unanswered().filter(pk=contact.pk).update(answered_at=reply.created_at, answered_by=by)
        notify.contact_replied(reply)
    return reply
