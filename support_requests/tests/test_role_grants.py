"""A new peer supporter or support lead is announced to the leads without a word of any request."""

import pytest

from peers.models import Notification, Role
from peers.services.role_grants import role_grant_approve, role_grant_propose
from peers.tests.factories import UserFactory, office_administrators

pytestmark = pytest.mark.django_db


def test_leads_told_of_a_new_supporter_read_nothing_of_the_requests(program, lead, make_request):
    request = make_request(
        description="I froze during the code and a patient died.", contact_details="me@private.example"
    )
    first, second = office_administrators()
    newcomer = UserFactory(email="newcomer@example.edu", name="Nico Newcomer")
    grant = role_grant_propose(
        proposer=first, user=newcomer, program=program, role=Role.PEER_SUPPORTER, reason="Trained in March."
    )
    role_grant_approve(grant=grant, approver=second)
    told = Notification.objects.filter(kind__startswith="role_grant_")
    assert {n.recipient for n in told.filter(kind="role_grant_approved")} == {lead}
    assert {n.recipient for n in told.filter(kind="role_grant_received")} == {newcomer}
    for notification in told:
        content = notification.subject + notification.body + notification.body_html
        assert "froze" not in content and "me@private.example" not in content and request.reference not in content
