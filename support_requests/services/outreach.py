"""Outreach: a colleague asks that someone be contacted, or a lead reaches out to several
people after one event; the supporter sends the message, the person may say no thanks
with one click, and the supporter records how it went, once. See models_outreach.

The referrer learns only that outreach happened (`_tell_referrer_once`), never the outcome."""

import datetime
import logging
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from peers.models import TrainingProgram, User
from support_requests import notify_outreach
from support_requests.models import (
    ContactMethod,
    Outcome,
    Outreach,
    OutreachOutcome,
    Reason,
    SupportRequest,
    new_status_token,
    status_token_hash,
)
from support_requests.models_outreach import NAME_MAX_LENGTH
from support_requests.services.casework import request_close, request_record_contact
from support_requests.services.intake import request_create

# How an outreach's outcome closes its request (the request's own outcomes, for reports).
CLOSES_AS = {
    OutreachOutcome.TALKED: Outcome.SUPPORTED,
    OutreachOutcome.DECLINED: Outcome.DECLINED,
    OutreachOutcome.RESOURCES_SENT: Outcome.REFERRED,
    OutreachOutcome.NO_REACH: Outcome.NO_CONTACT,
}
MANY_AT_MOST = 30
logger = logging.getLogger(__name__)
PHONE = re.compile(r"^\+?[0-9 ().-]{7,25}$")


def contact_parse(contact: str) -> tuple[str, str]:
    """(method, details) of an email address or a phone number, or a clear refusal."""
    contact = contact.strip()
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError("That email address doesn't look complete: please check it.") from None
        return ContactMethod.EMAIL, contact
    if PHONE.match(contact) and sum(c.isdigit() for c in contact) >= 7:
        return ContactMethod.PHONE, contact
    raise ValidationError("Give an email address or a phone number (at least 7 digits).")


def name_clean(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the person's name, so the supporter knows who to ask for.")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"Keep the name under {NAME_MAX_LENGTH} characters.")
    return name


REFERRALS_PER_DAY = 10


def _referral_limit_check(asked_by: User) -> None:
    User.objects.select_for_update().filter(pk=asked_by.pk).first()
    since = timezone.now() - datetime.timedelta(days=1)
    made = Outreach.objects.filter(referred_by=asked_by, origin=Outreach.Origin.REFERRAL, created_at__gte=since)
    if made.count() >= REFERRALS_PER_DAY:
        raise ValidationError(
            f"You have asked us to contact {REFERRALS_PER_DAY} people in the last day, the most one person can. "
            "If more colleagues need support after an event, please ask the program's support lead, "
            "who can reach out to several people at once."
        )


def outreach_create(
    *,
    program: TrainingProgram,
    asked_by: User,
    name: str,
    contact: str,
    after_event: bool,
    may_name_referrer: bool = False,
    origin: str = Outreach.Origin.REFERRAL,
) -> Outreach:
    """1. Record a request (request_create: its clock, its leads told, an offer where the
       program assigns automatically) with only the contact; no description at all.
    2. Beside it, the outreach: the name (encrypted), who asked and whether they may be named.
    Both or neither. A colleague may ask for at most REFERRALS_PER_DAY people a day (their
    user row locked while counting), so an account cannot flood people with outreach; a
    lead's outreach after an event is not limited."""
    method, details = contact_parse(contact)
    name = name_clean(name)
    with transaction.atomic():
        if origin == Outreach.Origin.REFERRAL:
            _referral_limit_check(asked_by)
        request = request_create(
            program=program,
            requester=None,  # the person referred did not ask, and the referrer may not read it
            screening={},
            reason=Reason.ADVERSE_EVENT if after_event else Reason.OTHER,
            contact_method=method,
            contact_details=details,
        )
        outreach = Outreach(
            request=request,
            origin=origin,
            name=name,
            after_event=after_event,
            referred_by=asked_by,
            may_name_referrer=may_name_referrer and origin == Outreach.Origin.REFERRAL,
        )
        outreach.full_clean()
        outreach.save()
    return outreach


def outreach_open_many(
    *, program: TrainingProgram, lead: User, people: list[tuple[str, str]], after_event: bool
) -> list[Outreach]:
    """A lead reaches out to several people after one event: each gets their own request
    and outreach, all in one transaction (a bad line keeps every one out)."""
    if not people:
        raise ValidationError("Add at least one person: a name, a comma, then an email address or phone number.")
    if len(people) > MANY_AT_MOST:
        raise ValidationError(f"At most {MANY_AT_MOST} people at once, please.")
    with transaction.atomic():
        return [
            outreach_create(
                program=program,
                asked_by=lead,
                name=name,
                contact=contact,
                after_event=after_event,
                origin=Outreach.Origin.LEAD,
            )
            for name, contact in people
        ]


def outreach_message_send(*, outreach: Outreach, sender: User, decline_url: Callable[[str], str]) -> None:
    """The supporter's "touching base" email, with the person's one-click no-thanks link.

    1. Only to an email address, and only while the request is open.
    2. Claim the one send, storing the hash of a new token (the link exists only in the email).
    3. Send; if sending fails, give the claim back so they can try again.
    4. Record the first contact (the clock stops) and tell the referrer, once, that outreach happened."""
    request = outreach.request
    if request.contact_method != ContactMethod.EMAIL:
        raise ValidationError("We have a phone number, not an email: call or text them, then record how it went.")
    if request.status == SupportRequest.Status.CLOSED:
        raise ValidationError("This outreach is closed.")
    token = new_status_token()
    claimed = Outreach.objects.filter(pk=outreach.pk, message_sent_at=None).update(
        message_sent_at=timezone.now(), decline_token_hash=status_token_hash(token)
    )
    if not claimed:
        raise ValidationError("The outreach message has already gone out.")
    try:
        notify_outreach.outreach_message_email(outreach, sender, decline_url(token))
    except Exception as error:  # any mail failure: nothing was sent, so nothing is recorded
        Outreach.objects.filter(pk=outreach.pk).update(message_sent_at=None, decline_token_hash=None)
        logger.warning("Outreach message not sent: %s", type(error).__name__)
        raise ValidationError("We couldn't send the email just now. Please try again in a few minutes.") from error
    _first_contact(request)
    _tell_referrer_once(outreach)


def outreach_outcome_record(*, outreach: Outreach, outcome: str) -> None:
    """How the outreach went, recorded once: the first to record it is kept (claimed
    where no outcome is set) and closes the request; a second is refused."""
    if outcome not in OutreachOutcome.values:
        raise ValidationError("Choose how the outreach went.")
    with transaction.atomic():
        claimed = Outreach.objects.filter(pk=outreach.pk, outcome="").update(outcome=outcome, outcome_at=timezone.now())
        if not claimed:
            raise ValidationError("How this outreach went is already recorded.")
        if outcome != OutreachOutcome.NO_REACH:
            _first_contact(outreach.request)
        request_close(request=outreach.request, outcome=CLOSES_AS[OutreachOutcome(outcome)])
        _tell_referrer_once(outreach)


def outreach_decline(*, outreach: Outreach) -> bool:
    """The person said no thanks by their link. Once: a second click changes nothing.
    The request closes as declined (unless the supporter already recorded an outcome),
    and the supporter and leads are told. Returns whether this click declined it."""
    now = timezone.now()
    with transaction.atomic():
        if not Outreach.objects.filter(pk=outreach.pk, declined_at=None).update(declined_at=now):
            return False
        Outreach.objects.filter(pk=outreach.pk, outcome="").update(outcome=OutreachOutcome.DECLINED, outcome_at=now)
        request_close(request=outreach.request, outcome=Outcome.DECLINED)
        notify_outreach.outreach_declined(outreach)
    return True


def _first_contact(request: SupportRequest) -> None:
    request.refresh_from_db(fields=["status", "first_contact_at"])
    if request.status in SupportRequest.AWAITING_CONTACT:
        request_record_contact(request=request)
    else:  # a lead reaching out before anyone was assigned: the clock stops all the same
        SupportRequest.objects.filter(pk=request.pk, first_contact_at=None).update(first_contact_at=timezone.now())


def _tell_referrer_once(outreach: Outreach) -> None:
    """The referrer hears that someone reached out: not how it went, not when they answered."""
    if outreach.origin != Outreach.Origin.REFERRAL or outreach.referred_by_id is None:
        return
    if Outreach.objects.filter(pk=outreach.pk, referrer_told_at=None).update(referrer_told_at=timezone.now()):
        notify_outreach.outreach_happened(outreach)
