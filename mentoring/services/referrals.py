"""A mentor referring a situation beyond the relationship."""

from mentoring import access, notify
from mentoring.models import MentorPair, MentorReferral
from mentoring.selectors import coordinators_of
from peers.models import User


def referral_make(*, pair: MentorPair, mentor: User, to: str, category: str, note: str) -> MentorReferral:
    """A mentor refers a situation. The faculty mentor, or the program's coordinators, are
    told that there is a referral and its category; the note stays in the app."""
    access.peer_mentor_guard(user=mentor, pair=pair, refusal="Only the pair's mentors make referrals.")
    referral = MentorReferral(pair=pair, mentor=mentor, to=to, category=category, note=note.strip() or None)
    referral.full_clean()
    referral.save()
    if to == MentorReferral.To.FACULTY:
        people = [pair.faculty_mentor]
    else:
        people = list(coordinators_of(program_id=pair.cycle.program_id))
    for person in people:
        notify.mentor_referral(referral, person)
    return referral
