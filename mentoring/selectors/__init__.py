"""Reads that mentoring's pages, services and sweeps need, by topic, each in a fixed
number of queries."""

from mentoring.selectors.applications import applications_of, interviews_assigned_to, waitlist_of
from mentoring.selectors.cohorts import (
    coordinators_by_program,
    coordinators_of,
    mentee_places,
    open_cycle_for,
    pairs_of_mentor,
)
from mentoring.selectors.contacts import my_contacts, open_contacts_for, waiting_for_peer_mentor
from mentoring.selectors.disclosure import disclosure_pending
from mentoring.selectors.duties import (
    duty_status,
    duty_statuses,
    on_duty,
    on_duty_and_own_away,
    on_duty_by_pair,
    on_duty_today_by_pair,
    own_away_notices,
)
from mentoring.selectors.figures import cycle_compliance_rows, cycle_figures, cycle_figures_page
from mentoring.selectors.referrals import referrals_for
from mentoring.selectors.repairing import (
    current_pairs,
    open_change_requests,
    pair_history,
    replacement_candidates,
)
from mentoring.selectors.review import proposal_warnings
from mentoring.selectors.surveys import open_invitations, survey_results
from mentoring.selectors.threads import thread_replies, waiting_for_covering_faculty

__all__ = [
    "applications_of",
    "coordinators_by_program",
    "coordinators_of",
    "current_pairs",
    "cycle_compliance_rows",
    "cycle_figures",
    "cycle_figures_page",
    "disclosure_pending",
    "duty_status",
    "duty_statuses",
    "interviews_assigned_to",
    "mentee_places",
    "my_contacts",
    "on_duty",
    "on_duty_and_own_away",
    "on_duty_by_pair",
    "on_duty_today_by_pair",
    "open_change_requests",
    "own_away_notices",
    "open_contacts_for",
    "open_cycle_for",
    "open_invitations",
    "pair_history",
    "pairs_of_mentor",
    "proposal_warnings",
    "referrals_for",
    "replacement_candidates",
    "survey_results",
    "thread_replies",
    "waiting_for_covering_faculty",
    "waiting_for_peer_mentor",
    "waitlist_of",
]
