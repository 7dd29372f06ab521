"""Mentoring's write operations, by topic: contacts on the answer clock, duties (away
cover, meetings, monthly contact, reminders), applications and selection, pairing and
cohorts, re-pairing and requests for a change, the disclosure statement, surveys, referrals,
replies in a contact's thread and the retention purge. Each is keyword-only and
typed; views, admin actions, the demo seeder and the sweeps all call these."""

from mentoring.access import DisclosureNotAccepted
from mentoring.services.applications import (
    application_offer_accept,
    application_submit,
    application_withdraw,
    applications_select,
    place_offers_expire,
)
from mentoring.services.change_requests import change_request_make, change_request_resolve
from mentoring.services.cohorts import cohorts_assign, pairing_propose, pairing_publish, pairing_save_proposal
from mentoring.services.contacts import contact_create, contact_mark_answered, contacts_escalate
from mentoring.services.disclosure import disclosure_accept
from mentoring.services.duties import away_end, away_post, duties_remind, meeting_log, outreach_log
from mentoring.services.interviews import interview_move_request, interview_schedule, interview_score
from mentoring.services.referrals import referral_acknowledge, referral_make, referral_record_outcome
from mentoring.services.repairing import mentee_move, pair_dissolve, pair_mentor_replace
from mentoring.services.retention import mentoring_content_purge
from mentoring.services.summaries import faculty_summaries_send
from mentoring.services.surveys import survey_answer, survey_close, survey_send
from mentoring.services.threads import contact_follow_up, contact_reply

__all__ = [
    "DisclosureNotAccepted",
    "application_offer_accept",
    "application_submit",
    "application_withdraw",
    "applications_select",
    "away_end",
    "away_post",
    "change_request_make",
    "change_request_resolve",
    "cohorts_assign",
    "contact_create",
    "contact_follow_up",
    "contact_mark_answered",
    "contact_reply",
    "contacts_escalate",
    "disclosure_accept",
    "duties_remind",
    "faculty_summaries_send",
    "interview_move_request",
    "interview_schedule",
    "interview_score",
    "meeting_log",
    "mentee_move",
    "mentoring_content_purge",
    "outreach_log",
    "pair_dissolve",
    "pair_mentor_replace",
    "pairing_propose",
    "pairing_publish",
    "pairing_save_proposal",
    "place_offers_expire",
    "referral_acknowledge",
    "referral_make",
    "referral_record_outcome",
    "survey_answer",
    "survey_close",
    "survey_send",
]
