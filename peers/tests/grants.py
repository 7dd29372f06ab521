"""Helpers for the role-grant tests (test_role_grants_*.py, test_roster_import.py)."""

import contextlib

import pytest
from django.db import IntegrityError, transaction

from peers.models import Role, RoleGrant
from peers.services.role_grants import role_grant_propose


@contextlib.contextmanager
def refused(constraint_or_message: str):
    """The database refuses the write (in a savepoint, so that the test can go on)."""
    with pytest.raises(IntegrityError, match=constraint_or_message), transaction.atomic():
        yield


def propose(office, candidate, program, role=Role.PEER_SUPPORTER, **kwargs) -> RoleGrant:
    """The first office administrator proposes the role for the candidate."""
    return role_grant_propose(
        proposer=office[0],
        user=candidate,
        program=program,
        role=role,
        reason="Completed peer supporter training.",
        **kwargs,
    )
