import rules

from peers.rules import add_model_perms, coordinates, is_coordinator
from sessions_app.models import (
    Availability,
    Booking,
    Facilitation,
    Feedback,
    SeriesGroup,
    Session,
    SessionSeries,
    Topic,
    WaitlistEntry,
)


@rules.predicate
def is_core_topic(user, obj) -> bool:
    return obj is None or (isinstance(obj, Topic) and obj.program_id is None)


rules.add_perm("sessions_app", is_coordinator)
add_model_perms(
    Topic,
    view=coordinates | (is_coordinator & is_core_topic),
    add=is_coordinator,
    change=coordinates,
    delete=coordinates,
)
for model in (SessionSeries, SeriesGroup, Session, Availability):
    add_model_perms(model, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
add_model_perms(Facilitation, view=coordinates, add=is_coordinator, delete=coordinates)
for model in (Booking, WaitlistEntry, Feedback):
    add_model_perms(model, view=coordinates)
