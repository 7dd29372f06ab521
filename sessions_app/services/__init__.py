"""Write operations for PEERS sessions, one module per topic. Views, admin actions,
commands and tasks call these through `from sessions_app import services`."""

from sessions_app.services.attendance import attendance_record, feedback_submit
from sessions_app.services.booking import booking_cancel, booking_create
from sessions_app.services.calendar_token import calendar_token_reset
from sessions_app.services.changes import (
    session_cancel,
    session_changed_notify,
    session_facilitations_refresh,
    session_update,
    session_update_problems,
)
from sessions_app.services.coordinate import (
    MESSAGE_LIMITS,
    booking_move,
    session_message_problems,
    session_message_send,
    waitlist_promote,
)
from sessions_app.services.curriculum import topic_save, topic_version_current
from sessions_app.services.facilitation import (
    availability_set,
    facilitation_add,
    facilitation_assign,
    facilitation_remove,
    facilitation_withdraw,
    withdraw_closes_at,
)
from sessions_app.services.rounds import booking_switch, round_book, round_waitlist_join
from sessions_app.services.series import groups_needed, series_generate_sessions, series_time_problems
from sessions_app.services.series_sync import SeriesUpdate, series_update
from sessions_app.services.sweeps import (
    sessions_alert_coverage,
    sessions_remind,
    sessions_request_attendance,
    sessions_request_feedback,
)
from sessions_app.services.waitlist import (
    session_offer_free_seats,
    waitlist_accept,
    waitlist_join,
    waitlist_leave,
    waitlist_offers_expire,
)

__all__ = [
    "MESSAGE_LIMITS",
    "attendance_record",
    "availability_set",
    "booking_cancel",
    "booking_create",
    "booking_move",
    "booking_switch",
    "calendar_token_reset",
    "facilitation_add",
    "facilitation_assign",
    "facilitation_remove",
    "facilitation_withdraw",
    "feedback_submit",
    "groups_needed",
    "round_book",
    "round_waitlist_join",
    "SeriesUpdate",
    "series_generate_sessions",
    "series_update",
    "series_time_problems",
    "session_cancel",
    "session_changed_notify",
    "session_facilitations_refresh",
    "session_message_problems",
    "session_message_send",
    "session_offer_free_seats",
    "session_update",
    "session_update_problems",
    "sessions_alert_coverage",
    "sessions_remind",
    "sessions_request_attendance",
    "sessions_request_feedback",
    "topic_save",
    "topic_version_current",
    "waitlist_accept",
    "waitlist_join",
    "waitlist_leave",
    "waitlist_offers_expire",
    "waitlist_promote",
    "withdraw_closes_at",
]
