"""PEERS well-being sessions (DESIGN.md 2.1): curriculum, series, sessions,
co-facilitation, bookings, waitlists and anonymous feedback, and each program's
sessions settings, one module per topic."""

from sessions_app.models.booking import Booking, WaitlistEntry
from sessions_app.models.calendar import CalendarEntry
from sessions_app.models.curriculum import MAX_MINUTES, MIN_MINUTES, CoreValue, Modality, Topic, TopicVersion
from sessions_app.models.facilitation import USER_SPAN, Availability, Facilitation, facilitation_span
from sessions_app.models.feedback import Feedback
from sessions_app.models.series import SeriesGroup, SessionSeries
from sessions_app.models.session import Session
from sessions_app.models.settings import SessionCadence, SessionSettings

__all__ = [
    "MAX_MINUTES",
    "MIN_MINUTES",
    "USER_SPAN",
    "Availability",
    "Booking",
    "CalendarEntry",
    "CoreValue",
    "Facilitation",
    "Feedback",
    "Modality",
    "SeriesGroup",
    "Session",
    "SessionCadence",
    "SessionSeries",
    "SessionSettings",
    "Topic",
    "TopicVersion",
    "WaitlistEntry",
    "facilitation_span",
]
