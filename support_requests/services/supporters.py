"""What peer supporters say about themselves: their profile, and when they are away."""

import datetime

from django.utils import timezone

from support_requests.models import Department, SupporterAway, SupporterProfile
from support_requests.services.handover import away_hand_over


def supporter_profile_update(
    *,
    profile: SupporterProfile,
    specialty: str,
    home_department: Department | None,
    career_stage: str,
    languages: str,
    capacity: int,
    disclosed_identities: str,
    identity_consent: bool,
    is_active: bool,
) -> SupporterProfile:
    """A supporter's own profile. Without consent, no identity is kept at all."""
    identities = _items(disclosed_identities)
    profile.specialty, profile.career_stage = specialty.strip(), career_stage
    profile.home_department = home_department
    profile.department = home_department.name if home_department else ""
    profile.languages = _items(languages)
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


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def supporter_away_add(*, profile: SupporterProfile, starts_on: datetime.date, ends_on: datetime.date) -> SupporterAway:
    away = SupporterAway(profile=profile, starts_on=starts_on, ends_on=ends_on)
    away.full_clean()
    away.save()
    away_hand_over(away=away)  # an away period from today hands over at once; a later one, by the sweep
    return away
