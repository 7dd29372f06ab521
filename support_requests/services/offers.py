"""Offering a request to one supporter at a time: accept, decline, or let it lapse, and
the request moves on to the next suggestion (or back to the leads)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peers.models import User
from support_requests import notify, selectors
from support_requests.models import SupportDecline, SupporterProfile, SupportRequest

# Lapsed offers moved on per transaction.
BATCH = 60


def request_offer(*, request: SupportRequest, supporter: User) -> None:
    """Offer the request to one supporter, who has the program's offer window to accept.

    1. Lock the request and check it is still waiting for a supporter.
    2. Lock the supporter's profile, so two offers at once cannot both take their last place.
    3. Check they are still among the suggestions (trained, free, no conflict, not declined).
    4. Offer it, and tell them.
    """
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in SupportRequest.MATCHING:
            raise ValidationError("This request can't be offered now.")
        SupporterProfile.objects.select_for_update().filter(user=supporter).first()
        if supporter.pk not in {s.profile.user_id for s in selectors.supporter_suggestions(request)}:
            raise ValidationError(
                "This supporter can't take this request (away, at capacity, a conflict, or they declined it)."
            )
        now = timezone.now()
        request.status, request.assigned_to, request.offered_at = SupportRequest.Status.OFFERED, supporter, now
        request.offer_expires_at = now + datetime.timedelta(hours=request.program.support_settings.offer_hours)
        request.save(update_fields=["status", "assigned_to", "offered_at", "offer_expires_at"])
        notify.support_offer(request, supporter)


def request_accept(*, request: SupportRequest, supporter: User) -> None:
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        _check_offered_to(request, supporter)
        # A request handed over by a supporter who went away may have had its first contact.
        contacted = request.first_contact_at is not None
        request.status = SupportRequest.Status.CONTACTED if contacted else SupportRequest.Status.ASSIGNED
        request.accepted_at = timezone.now()
        request.save(update_fields=["status", "accepted_at"])


def request_decline(*, request: SupportRequest, supporter: User, lapsed: bool = False) -> None:
    """Decline (or let lapse): the request moves to the next suggestion, or back to the leads."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        _check_offered_to(request, supporter)
        SupportDecline.objects.get_or_create(request=request, supporter=supporter, defaults={"lapsed": lapsed})
        request.status, request.assigned_to = SupportRequest.Status.NEW, None
        request.offered_at, request.offer_expires_at = None, None
        request.save(update_fields=["status", "assigned_to", "offered_at", "offer_expires_at"])
        suggestions = selectors.supporter_suggestions(request)
        if suggestions:
            request_offer(request=request, supporter=suggestions[0].profile.user)
        else:
            notify.support_unmatched(request)


def _check_offered_to(request: SupportRequest, supporter: User) -> None:
    if request.status != SupportRequest.Status.OFFERED or request.assigned_to_id != supporter.pk:
        raise ValidationError("This offer is no longer open.")


def offers_expire() -> int:
    """Sweep: offers not answered in time move to the next suggestion, up to BATCH a
    transaction. Returns the offers that lapsed.

    1. Claim up to BATCH lapsed offers (FOR UPDATE SKIP LOCKED): another sweep skips
       them, and an answer (which locks the request) waits for the batch and then finds
       the offer gone.
    2. Move them on together (`_lapse`)."""
    count = 0
    while True:
        with transaction.atomic():
            requests = list(
                SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=SupportRequest.Status.OFFERED, offer_expires_at__lte=timezone.now())
                .select_related("program__institution", "program__support_settings")
                .order_by("offer_expires_at", "pk")[:BATCH]
            )
            if not requests:
                return count
            _lapse(requests)
        count += len(requests)
        if len(requests) < BATCH:
            return count


def _lapse(requests: list[SupportRequest]) -> None:
    """With the requests claimed: what `request_decline(lapsed=True)` does, for a batch.

    1. Record each lapse as a decline (one INSERT), and put the requests back to new
       (one UPDATE).
    2. Lock the supporter profiles of the batch's programs, in id order, so no offer
       elsewhere takes a place while the batch counts them (`request_offer` locks the
       request and then the profile, as here).
    3. For each request in turn, its best suggestion (`selectors.supporter_suggestions`,
       one query; it counts the offers made before it in the batch), offered at once (one
       UPDATE); a request nobody can take goes back to the leads.
    4. Tell the supporters offered and the leads of the unmatched together."""
    SupportDecline.objects.bulk_create(
        [SupportDecline(request=r, supporter_id=r.assigned_to_id, lapsed=True) for r in requests], ignore_conflicts=True
    )
    SupportRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        status=SupportRequest.Status.NEW, assigned_to=None, offered_at=None, offer_expires_at=None
    )
    profiles = SupporterProfile.objects.filter(program__in={r.program_id for r in requests}, is_active=True)
    list(profiles.select_for_update().order_by("pk").values_list("pk", flat=True))
    offered, unmatched, now = [], [], timezone.now()
    for request in requests:
        request.status, request.assigned_to, request.offered_at, request.offer_expires_at = (
            SupportRequest.Status.NEW,
            None,
            None,
            None,
        )
        suggestions = selectors.supporter_suggestions(request)
        if not suggestions:
            unmatched.append(request)
            continue
        supporter = suggestions[0].profile.user
        request.status, request.assigned_to, request.offered_at = SupportRequest.Status.OFFERED, supporter, now
        request.offer_expires_at = now + datetime.timedelta(hours=request.program.support_settings.offer_hours)
        request.save(update_fields=["status", "assigned_to", "offered_at", "offer_expires_at"])
        offered.append(request)
    notify.batch_support_offers_lapsed(offered, unmatched)
