import rules

from peers.rules import add_model_perms, coordinates, is_coordinator
from support_requests.models import OfficeHours, SupporterProfile, SupportRequest

rules.add_perm("support_requests", is_coordinator)
add_model_perms(SupportRequest, view=coordinates)  # metadata only (see admin.py)
add_model_perms(SupporterProfile, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
add_model_perms(OfficeHours, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
