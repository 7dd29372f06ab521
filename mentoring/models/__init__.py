"""Peer mentoring (DESIGN.md 2.2), one module per topic: cycles, pairs and cohorts;
contacts on the answer clock; duties (away cover, meetings, monthly contact, trainings);
applications and interviews; the disclosure statement; surveys and focus groups;
referrals; re-pairing and change requests; replies in a contact's thread; each program's
mentoring settings."""

from mentoring.models.applications import ENTERING_YEARS, SCORE, Application, Interview
from mentoring.models.cohorts import (
    COHORT_MAX,
    COHORT_MIN,
    MENTEE_CLASS_YEARS,
    Mentee,
    MentoringCycle,
    MentorPair,
    cohort_size_is_usual,
)
from mentoring.models.contacts import Channel, Contact
from mentoring.models.disclosure import DisclosureAcceptance, DisclosureStatement
from mentoring.models.duties import AwayNotice, FacultySummary, Meeting, Outreach, TrainingAttendance
from mentoring.models.referrals import MentorReferral
from mentoring.models.repairing import ChangeRequest, PairChange
from mentoring.models.settings import MentoringSettings
from mentoring.models.surveys import Answer, FocusGroup, Question, Survey, SurveyInvitation, SurveyResponse
from mentoring.models.threads import REPLY_MAX_LENGTH, THREAD_MAX_REPLIES, ContactReply
from mentoring.models.voice import RATINGS, MenteePreference, PairFeedback, PairFeedbackGiven, PairFeedbackRound

__all__ = [
    "COHORT_MAX",
    "COHORT_MIN",
    "ENTERING_YEARS",
    "MENTEE_CLASS_YEARS",
    "REPLY_MAX_LENGTH",
    "SCORE",
    "THREAD_MAX_REPLIES",
    "Answer",
    "Application",
    "AwayNotice",
    "ChangeRequest",
    "Channel",
    "Contact",
    "ContactReply",
    "DisclosureAcceptance",
    "DisclosureStatement",
    "FacultySummary",
    "FocusGroup",
    "Interview",
    "Meeting",
    "Mentee",
    "MentorPair",
    "MentorReferral",
    "MentoringCycle",
    "MenteePreference",
    "MentoringSettings",
    "Outreach",
    "PairChange",
    "PairFeedback",
    "PairFeedbackGiven",
    "PairFeedbackRound",
    "Question",
    "RATINGS",
    "Survey",
    "SurveyInvitation",
    "SurveyResponse",
    "TrainingAttendance",
    "cohort_size_is_usual",
]
