"""Offering a request to one supporter at a time: accept, decline, or let it lapse, and
the request moves on to the next suggestion (or back to the leads)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peers.models import User
from support_requests import notify, selectors
from support_requests.models import SupportDecline, SupporterProfile, SupportRequest


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
    """Sweep: an offer not answered in time moves to the next suggestion. Each request is
    claimed (locked, skipping any another sweep holds) until its decline is recorded."""
    count = 0
    while True:
        with transaction.atomic():
            request = (
                SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=SupportRequest.Status.OFFERED, offer_expires_at__lte=timezone.now())
                .select_related("assigned_to")
                .first()
            )
            if request is None:
                return count
            request_decline(request=request, supporter=request.assigned_to, lapsed=True)
            count += 1
