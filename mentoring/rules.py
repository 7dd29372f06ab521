import rules

from mentoring.models import (
    Application,
    AwayNotice,
    Contact,
    DisclosureAcceptance,
    DisclosureStatement,
    FocusGroup,
    Interview,
    Mentee,
    MentoringCycle,
    MentorPair,
    MentorReferral,
    PairChange,
    Question,
    Survey,
    TrainingAttendance,
)
from peers.rules import add_model_perms, coordinates, is_coordinator

rules.add_perm("mentoring", is_coordinator)
for model in (MentoringCycle, MentorPair, Mentee, AwayNotice, Application, Interview):
    add_model_perms(model, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
add_model_perms(Contact, view=coordinates)
add_model_perms(DisclosureStatement, view=coordinates, add=is_coordinator, change=coordinates)
add_model_perms(DisclosureAcceptance, view=coordinates)
for model in (Survey, Question, TrainingAttendance, FocusGroup):
    add_model_perms(model, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
add_model_perms(MentorReferral, view=coordinates)
add_model_perms(PairChange, view=coordinates)  # the re-pairing history, read-only

# Mentees' wishes, people to avoid included: for the program's coordinators only.
from mentoring.models import MenteePreference  # noqa: E402

add_model_perms(MenteePreference, view=coordinates)
