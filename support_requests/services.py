"""Write operations for confidential peer support.

Notifications never carry a request's content: only its reference code and a link.
"""

import datetime
from dataclasses import dataclass

import pghistory.models
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from peers.models import Membership, Role, TrainingKind, TrainingProgram, TrainingRecord, User
from peers.services.notifications import notification_create
from support_requests.models import (
    Outcome,
    Referral,
    SupportDecline,
    SupporterAway,
    SupporterProfile,
    SupportNote,
    SupportRequest,
    new_status_token,
    status_token_hash,
)

SCREENING_QUESTIONS = {
    "self_harm": "Are you having thoughts of harming yourself, or of ending your life?",
    "substance": "Is your request about alcohol or substance use?",
    "mental_health": "Is it about a mental-health condition, such as depression or anxiety, that needs care?",
    "medical_advice": "Are you looking for medical advice about your own health?",
}
OPEN_STATUSES = (SupportRequest.Status.OFFERED, SupportRequest.Status.ASSIGNED, SupportRequest.Status.CONTACTED)


# --- intake --------------------------------------------------------------------------------------


def request_create(
    *, program: TrainingProgram, requester: User | None, screening: dict[str, bool], **content
) -> SupportRequest:
    """Record a request. Screening comes first: any "yes" sends it to the support leads
    as needing referral, with no peer matching. Nothing is dropped.

    1. Save the request (content encrypted) with its first-contact deadline and the hash
       of a new private status token; the token itself is returned on the instance
       (`status_token`) for the confirmation page, and kept nowhere.
    2. Tell the support leads (reference code only).
    3. If it may be matched and the program assigns automatically, offer it to the best match.
    """
    screened_out = any(screening.values())
    now = timezone.now()
    urgent = content.get("urgency") == "today" or screened_out
    hours = program.support_urgent_response_hours if urgent else program.support_first_response_hours
    with transaction.atomic():
        request = SupportRequest(
            program=program,
            requester=requester if requester and requester.is_authenticated else None,
            screening=",".join(key for key, yes in screening.items() if yes) or None,
            created_at=now,
            first_contact_due_at=now + datetime.timedelta(hours=hours),
            overdue_at=now + 2 * datetime.timedelta(hours=hours),
            status=SupportRequest.Status.NEEDS_REFERRAL if screened_out else SupportRequest.Status.NEW,
            **content,
        )
        token = new_status_token()
        request.status_token_hash = status_token_hash(token)
        request.full_clean()
        request.save()
        request.status_token = token  # shown to the requester once; never stored
        _tell_leads(request, "support_new", "needs referral" if screened_out else "new")
        if not screened_out and program.support_auto_assign:
            suggestions = supporter_suggestions(request)
            if suggestions:
                request_offer(request=request, supporter=suggestions[0].profile.user)
    return request


def request_add_contact(*, request: SupportRequest, contact_method: str, contact_details: str) -> None:
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        request.contact_method, request.contact_details = contact_method, contact_details.strip()
        request.full_clean()
        request.save(update_fields=["contact_method", "contact_details"])


# --- matching -----------------------------------------------------------------------------------


@dataclass
class Suggestion:
    profile: SupporterProfile
    score: int
    reasons: list[str]


def eligible_supporters(request: SupportRequest):
    """Active, trained, on the program's roster, not away, below capacity, never one who
    declined this request, evaluates the requester, or (when asked) shares their department."""
    today = timezone.localdate()
    roster = Membership.objects.active().filter(program=request.program_id, role=Role.PEER_SUPPORTER)
    trained = TrainingRecord.objects.filter(
        user=OuterRef("user"), kind=TrainingKind.PEER_SUPPORTER, completed_on__lte=today
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    queryset = (
        SupporterProfile.objects.filter(
            is_active=True, program=request.program_id, user__is_active=True, user__memberships__in=roster
        )
        .filter(Exists(trained))
        .exclude(Exists(SupporterAway.objects.filter(profile=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today)))
        .exclude(user__in=request.declines.values("supporter"))
        .annotate(
            open_count=Count(
                "user__support_assignments",
                filter=Q(user__support_assignments__status__in=OPEN_STATUSES),
                distinct=True,
            )
        )
        .select_related("user")
        .distinct()
    )
    if request.requester_id:
        queryset = queryset.exclude(evaluates=request.requester_id).exclude(user=request.requester_id)
    return [profile for profile in queryset if profile.open_count < profile.capacity]


def preference_matches(preferences: dict, profile: SupporterProfile) -> dict[str, bool]:
    """For each preference the requester gave that concerns a supporter (specialty, career
    stage, a shared identity the supporter consented to disclose, a language): whether
    `profile` meets it. Ranking and the offered supporter's view both use it."""
    matches = {}
    if preferences.get("specialty"):
        matches["specialty"] = preferences["specialty"].lower() in profile.specialty.lower()
    if preferences.get("career_stage"):
        matches["career_stage"] = preferences["career_stage"] == profile.career_stage
    identity = (preferences.get("shared_identity") or "").strip().lower()
    if identity:
        shared = [i.lower() for i in profile.disclosed_identities] if profile.identity_consent_at else []
        matches["shared_identity"] = identity in shared
    language = (preferences.get("language") or "").strip().lower()
    if language:
        matches["language"] = language in [lang.lower() for lang in profile.languages]
    return matches


def supporter_suggestions(request: SupportRequest) -> list[Suggestion]:
    """Ranked suggestions with their reasons. Score: specialty 3, career stage 2, a
    shared identity the supporter consented to disclose 2, a common language 1, and
    1 for each free place."""
    preferences = request.preferences or {}
    department = (request.requester_department or "").strip().lower()
    suggestions = []
    for profile in eligible_supporters(request):
        if preferences.get("not_my_department") and department and profile.department.strip().lower() == department:
            continue
        score, reasons = 0, []
        matches = preference_matches(preferences, profile)
        if matches.get("specialty"):
            score, reasons = score + 3, [*reasons, f"same specialty ({profile.specialty})"]
        if matches.get("career_stage"):
            score, reasons = score + 2, [*reasons, f"career stage: {profile.get_career_stage_display().lower()}"]
        if matches.get("shared_identity"):
            score, reasons = score + 2, [*reasons, "shares the identity asked for"]
        if matches.get("language"):
            score, reasons = score + 1, [*reasons, f"speaks {preferences['language'].strip().lower()}"]
        free = profile.capacity - profile.open_count
        score += free
        reasons.append(f"{free} free place{'s' if free != 1 else ''}")
        suggestions.append(Suggestion(profile, score, reasons))
    return sorted(suggestions, key=lambda s: (-s.score, s.profile.pk))


def request_offer(*, request: SupportRequest, supporter: User) -> None:
    """Offer the request to one supporter, who has the program's offer window to accept."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in (SupportRequest.Status.NEW, SupportRequest.Status.OFFERED):
            raise ValidationError("This request can't be offered now.")
        # Lock the supporter's profile so two offers at once cannot both take their last place.
        SupporterProfile.objects.select_for_update().filter(user=supporter).first()
        if supporter.pk not in {s.profile.user_id for s in supporter_suggestions(request)}:
            raise ValidationError(
                "This supporter can't take this request (away, at capacity, a conflict, or they declined it)."
            )
        now = timezone.now()
        request.status, request.assigned_to, request.offered_at = SupportRequest.Status.OFFERED, supporter, now
        request.offer_expires_at = now + datetime.timedelta(hours=request.program.support_offer_hours)
        request.save(update_fields=["status", "assigned_to", "offered_at", "offer_expires_at"])
        _notify(
            supporter,
            request,
            "support_offer",
            f"support-offer:{request.pk}:{supporter.pk}",
            "A peer support request for you",
            f"Request {request.reference} is offered to you. Please accept or decline it on PEERS by "
            f"{timezone.localtime(request.offer_expires_at):%a %b %-d %H:%M}.",
        )


def request_accept(*, request: SupportRequest, supporter: User) -> None:
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != SupportRequest.Status.OFFERED or request.assigned_to_id != supporter.pk:
            raise ValidationError("This offer is no longer open.")
        request.status, request.accepted_at = SupportRequest.Status.ASSIGNED, timezone.now()
        request.save(update_fields=["status", "accepted_at"])


def request_decline(*, request: SupportRequest, supporter: User, lapsed: bool = False) -> None:
    """Decline (or let lapse): the request moves to the next suggestion, or back to the leads."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != SupportRequest.Status.OFFERED or request.assigned_to_id != supporter.pk:
            raise ValidationError("This offer is no longer open.")
        SupportDecline.objects.get_or_create(request=request, supporter=supporter, defaults={"lapsed": lapsed})
        request.status, request.assigned_to, request.offered_at, request.offer_expires_at = (
            SupportRequest.Status.NEW,
            None,
            None,
            None,
        )
        request.save(update_fields=["status", "assigned_to", "offered_at", "offer_expires_at"])
        suggestions = supporter_suggestions(request)
        if suggestions:
            request_offer(request=request, supporter=suggestions[0].profile.user)
        else:
            _tell_leads(request, "support_unmatched", "no supporter available")


def offers_expire() -> int:
    """Sweep: an offer not answered in time moves to the next suggestion."""
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


# --- the supporter's work -----------------------------------------------------------------------


def request_record_contact(*, request: SupportRequest) -> None:
    """First contact: by the supporter after accepting, or by a lead (a screened-out
    request has no supporter; the lead who reaches the person stops its clock)."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in (SupportRequest.Status.ASSIGNED, SupportRequest.Status.NEEDS_REFERRAL):
            raise ValidationError("Accept the request before recording contact.")
        request.status, request.first_contact_at = SupportRequest.Status.CONTACTED, timezone.now()
        request.save(update_fields=["status", "first_contact_at"])


def note_add(*, request: SupportRequest, author: User, text: str) -> SupportNote:
    if request.status == SupportRequest.Status.CLOSED:
        raise ValidationError("This request is closed.")
    if not request.program.support_notes_allowed:
        raise ValidationError("This program keeps no notes on support requests.")
    text = text.strip()
    if not text:
        raise ValidationError("Write the note first.")
    if len(text) > 1000:
        raise ValidationError("Keep notes short: 1,000 characters at most.")
    return SupportNote.objects.create(request=request, author=author, text=text)


def referral_add(*, request: SupportRequest, resource: str) -> Referral:
    if request.status == SupportRequest.Status.CLOSED:
        raise ValidationError("This request is closed.")
    referral = Referral(request=request, resource=resource)
    referral.full_clean()
    referral.save()
    return referral


def request_close(*, request: SupportRequest, outcome: str) -> None:
    if outcome not in Outcome.values:
        raise ValidationError("Choose how the request ended.")
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == SupportRequest.Status.CLOSED:
            return
        request.status, request.outcome, request.closed_at = SupportRequest.Status.CLOSED, outcome, timezone.now()
        request.save(update_fields=["status", "outcome", "closed_at"])
        if request.first_contact_at is None:
            _tell_leads(request, "support_closed_uncontacted", "closed without a first contact")


# --- the first-response clock and retention -----------------------------------------------------


def first_contact_escalate() -> int:
    """Sweep, two steps, each once: at the deadline the support leads are told; at
    twice the target every lead and the program's coordinators are told it is overdue."""
    now = timezone.now()
    done = 0
    for stamp, condition, step in (
        ("leads_alerted_at", Q(first_contact_due_at__lte=now), "leads"),
        ("overdue_alerted_at", Q(leads_alerted_at__isnull=False, overdue_at__lte=now), "overdue"),
    ):
        while True:
            with transaction.atomic():
                request = (
                    SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("program")
                    .filter(
                        condition, first_contact_at__isnull=True, closed_at__isnull=True, **{f"{stamp}__isnull": True}
                    )
                    .order_by("first_contact_due_at")
                    .first()
                )
                if request is None:
                    break
                _escalate(request, step)
                SupportRequest.objects.filter(pk=request.pk).update(**{stamp: now})
                done += 1
    return done


def _escalate(request: SupportRequest, step: str) -> None:
    if step == "leads":
        _tell_leads(request, "support_due", "not yet contacted, first contact is due now")
        return
    people = _people(request.program, Role.SUPPORT_LEAD) | _people(request.program, Role.COORDINATOR)
    for person in people:
        _notify(
            person,
            request,
            "support_overdue",
            f"support-overdue:{request.pk}:{person.pk}",
            f"Support request {request.reference} is overdue",
            f"Request {request.reference} has had no first contact for twice its target time. "
            "Please make sure someone reaches the requester.",
        )


def requests_purge() -> int:
    """Sweep: empty the content of requests closed longer than the program's retention
    period, keeping only the de-identified row (program, reason, dates, outcome)."""
    count = 0
    for request in SupportRequest.objects.filter(closed_at__isnull=False, purged_at__isnull=True).select_related(
        "program"
    ):
        if request.closed_at > timezone.now() - datetime.timedelta(days=request.program.support_retention_days):
            continue
        with transaction.atomic():
            SupportNote.objects.filter(request=request).delete()
            SupportRequest.objects.filter(pk=request.pk).update(
                description=None,
                contact_details=None,
                screening=None,
                preferences=None,
                requester_department=None,
                requester=None,
                purged_at=timezone.now(),
            )
            # Then the history, which still holds the old ciphertext, and its contexts
            # (who acted, and on which URL), the purge's own event included.
            events = SupportRequest.pgh_event_model.objects.filter(pgh_obj_id=request.pk)
            note_events = SupportNote.pgh_event_model.objects.filter(request_id=request.pk)
            contexts = {
                *events.values_list("pgh_context_id", flat=True),
                *note_events.values_list("pgh_context_id", flat=True),
            } - {None}
            events.delete()
            note_events.delete()
            pghistory.models.Context.objects.filter(pk__in=contexts).delete()
            count += 1
    return count


# --- helpers ------------------------------------------------------------------------------------


def _people(program: TrainingProgram, role: str):
    return set(
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(program=program, role=role), is_active=True
        )
    )


def _tell_leads(request: SupportRequest, kind: str, what: str) -> None:
    """The support leads; a program without one falls back to its coordinators, so a
    request is never left with nobody told."""
    people = _people(request.program, Role.SUPPORT_LEAD) or _people(request.program, Role.COORDINATOR)
    for lead in people:
        _notify(
            lead,
            request,
            kind,
            f"{kind}:{request.pk}:{lead.pk}:{request.declines.count()}",
            f"Support request {request.reference}: {what}",
            f"Support request {request.reference} ({what}). Open the support queue to act on it.",
        )


def _notify(person: User, request: SupportRequest, kind: str, key: str, subject: str, message: str) -> None:
    # The reference code and a link only: never the request's content.
    notification_create(
        recipient=person,
        kind=kind,
        dedupe_key=key,
        template="generic",
        program=request.program,
        context={"subject": subject, "message": message},
        link=reverse("support:detail", args=[request.pk]),
    )


def supporter_profile_update(
    *,
    profile: SupporterProfile,
    specialty: str,
    department: str,
    career_stage: str,
    languages: str,
    capacity: int,
    disclosed_identities: str,
    identity_consent: bool,
    is_active: bool,
) -> SupporterProfile:
    """A supporter's own profile. Without consent, no identity is kept at all."""
    identities = [item.strip() for item in disclosed_identities.split(",") if item.strip()]
    profile.specialty, profile.department, profile.career_stage = specialty.strip(), department.strip(), career_stage
    profile.languages = [item.strip() for item in languages.split(",") if item.strip()]
    profile.capacity, profile.is_active = capacity, is_active
    consented = identity_consent and bool(identities)
    profile.disclosed_identities = identities if consented else []
    if consented and profile.identity_consent_at is None:
        profile.identity_consent_at = timezone.now()
    if not consented:
        profile.identity_consent_at = None
    profile.full_clean()
    profile.save()
    return profile


def supporter_away_add(*, profile: SupporterProfile, starts_on: datetime.date, ends_on: datetime.date):
    away = SupporterAway(profile=profile, starts_on=starts_on, ends_on=ends_on)
    away.full_clean()
    away.save()
    return away
