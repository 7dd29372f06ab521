"""Write operations for confidential peer support, one module per topic.

Notifications never carry a request's content: only its reference code and a link
(support_requests.notify). Reads live in support_requests.selectors."""

from support_requests.services.casework import note_add, referral_add, request_close, request_record_contact
from support_requests.services.clock import pauses_resume, request_pause, request_resume
from support_requests.services.escalation import first_contact_escalate
from support_requests.services.handover import away_hand_over, aways_hand_over
from support_requests.services.intake import request_add_contact, request_create
from support_requests.services.offers import offers_expire, request_accept, request_decline, request_offer
from support_requests.services.purge import requests_purge
from support_requests.services.recovery import link_recoveries_process, link_recovery_ask
from support_requests.services.requester import feedback_give, message_add, request_withdraw
from support_requests.services.status_link import status_link_send
from support_requests.services.supporters import supporter_away_add, supporter_profile_update

__all__ = [
    "away_hand_over",
    "aways_hand_over",
    "pauses_resume",
    "request_pause",
    "request_resume",
    "feedback_give",
    "link_recoveries_process",
    "link_recovery_ask",
    "message_add",
    "request_withdraw",
    "first_contact_escalate",
    "note_add",
    "offers_expire",
    "referral_add",
    "request_accept",
    "request_add_contact",
    "request_close",
    "request_create",
    "request_decline",
    "request_offer",
    "request_record_contact",
    "requests_purge",
    "status_link_send",
    "supporter_away_add",
    "supporter_profile_update",
]
