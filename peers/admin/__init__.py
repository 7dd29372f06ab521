"""The core's admin, one module per topic. Django's autodiscover imports `peers.admin`;
importing the modules here registers their ModelAdmins on the coordinators' site
(`peers/admin_site.py`). Every one of them is scoped by `peers/admin_scoping.py`."""

from peers.admin import audit, memberships, notifications, people, programs, role_grants

__all__ = ["audit", "memberships", "notifications", "people", "programs", "role_grants"]
