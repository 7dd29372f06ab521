import rules

from peers.rules import add_model_perms, coordinates, is_coordinator
from support_requests.models import OfficeHours, SupporterProfile

rules.add_perm("support_requests", is_coordinator)
# No permission on SupportRequest for anyone: requests are not in the admin (see admin.py).
add_model_perms(SupporterProfile, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
add_model_perms(OfficeHours, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
