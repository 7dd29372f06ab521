"""What a requester asked of a supporter, and whether one supporter meets it.

Ranking (selectors.supporter_suggestions) and the offered supporter's view
(access.offer_view) both ask this, so it lives apart from both."""

from support_requests.models import SupporterProfile


def preference_matches(preferences: dict, profile: SupporterProfile) -> dict[str, bool]:
    """For each preference the requester gave that concerns a supporter (specialty, career
    stage, a shared identity the supporter consented to disclose, a language): whether
    `profile` meets it."""
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
