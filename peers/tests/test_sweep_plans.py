"""Every registered sweep has its plan proven: a test that fills its table with thousands
of rows that are not due, pins the queries it runs with nothing due before and after,
and explains its main query (peers/testing/sweep_plans.py): no Seq Scan over the table,
and the sweep's partial index read. A sweep registered without one fails here."""

import re
from pathlib import Path

from peers import registry

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SESSIONS = "sessions_app/tests/test_sweeps_at_scale.py::"
MENTORING = "mentoring/tests/test_sweeps_at_scale.py::"
SUPPORT = "support_requests/tests/test_sweeps_at_scale.py::"

# The sweep, and the test proving its plan. The mentor duty reminders and the faculty
# summaries read the pairs of the running cycles (what can be due depends on today and on
# each cycle's dates, so no partial index can hold it): their tests prove an index of the
# pair table is read, never the table.
PLANS = {
    "notifications": "peers/tests/test_sweeps_at_scale.py::"
    "test_the_idle_delivery_sweep_reads_only_undelivered_notifications",
    "session_reminders": SESSIONS + "test_an_idle_session_sweep_reads_only_its_partial_index",
    "session_attendance_requests": SESSIONS + "test_an_idle_session_sweep_reads_only_its_partial_index",
    "session_feedback_requests": SESSIONS + "test_an_idle_session_sweep_reads_only_its_partial_index",
    "session_coverage_alerts": SESSIONS + "test_an_idle_session_sweep_reads_only_its_partial_index",
    "waitlist_offer_expiry": SESSIONS + "test_the_idle_waitlist_expiry_reads_only_open_offers",
    "mentee_contact_escalation": MENTORING
    + "test_the_idle_contact_escalation_reads_only_contacts_that_can_still_escalate",
    "mentor_duty_reminders": MENTORING + "test_the_idle_duty_reminders_cost_one_query_however_many_pairs",
    "mentor_place_offers": MENTORING + "test_the_idle_place_offer_sweep_reads_only_open_offers",
    "faculty_monthly_summaries": MENTORING + "test_the_idle_faculty_summaries_cost_one_query_however_many_pairs",
    "pair_feedback_invitations": MENTORING
    + "test_the_idle_pair_feedback_invitations_read_only_cycles_whose_semester_just_ended",
    "mentoring_retention_purge": "mentoring/tests/test_retention.py::"
    "test_the_idle_purge_costs_three_queries_and_reads_each_partial_index",
    "support_offer_expiry": SUPPORT + "test_the_idle_offer_expiry_reads_only_open_offers",
    "support_first_contact": SUPPORT + "test_the_idle_first_contact_sweep_reads_only_requests_that_can_still_escalate",
    "support_purge": SUPPORT + "test_the_idle_purge_reads_only_unpurged_requests_past_the_shortest_retention",
    "support_link_recovery": SUPPORT + "test_the_idle_recovery_sweep_reads_only_posts_not_yet_looked_at",
    "support_pauses_resume": SUPPORT + "test_the_idle_resume_sweep_reads_only_paused_requests_with_a_time",
    "support_away_handover": SUPPORT + "test_the_idle_handover_sweep_reads_only_away_periods_not_handed_over",
}


def test_every_registered_sweep_has_a_plan_test():
    assert set(registry.sweeps) == set(PLANS), (
        f"without a plan test: {sorted(set(registry.sweeps) - set(PLANS))}; "
        f"no longer registered: {sorted(set(PLANS) - set(registry.sweeps))}"
    )


def test_each_plan_test_exists_and_explains_the_sweeps_query():
    for sweep, node in PLANS.items():
        path, name = node.split("::")
        source = (BASE_DIR / path).read_text()
        body = re.search(rf"^def {name}\(.*?(?=^\S)", source + "\nend", re.S | re.M)
        assert body, f"{sweep}: no test {name} in {path}"
        assert "assert_uses_index" in body.group(0), f"{sweep}: {name} explains no query"
        assert "assert_constant_idle_queries" in body.group(0), f"{sweep}: {name} pins no idle query count"
