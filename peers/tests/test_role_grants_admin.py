"""The office grants peer supporter and support lead in the admin's Role grants, with two
administrators; the Membership admin and the user page neither give such a role nor
extend one, and ending or removing one tells the leads (peers/admin/role_grants.py,
peers/admin/memberships.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peers.models import GrantStatus, Membership, Notification, Role, RoleGrant
from peers.services.role_grants import role_grant_approve
from peers.tests.factories import UserFactory
from peers.tests.grants import propose

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _user_page(person, **changes) -> dict:
    """The user page's own fields as the office posts them back."""
    fields = {"email": person.email, "name": person.name, "pronouns": "", "phone": ""}
    return {**fields, "time_zone": "America/Toronto", "is_active": "on", "password": person.password, **changes}


# --- every other way in is closed ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPPORT_LEAD, Role.PEER_SUPPORTER])
def test_the_membership_admin_offers_no_confidential_role_even_to_a_superuser(client, office, candidate, program, role):
    client.force_login(office[0])
    form = client.get(reverse("admin:peers_membership_add")).context["adminform"].form
    assert role not in [value for value, _ in form.fields["role"].choices]
    assert Role.TRAINEE in [value for value, _ in form.fields["role"].choices]
    response = client.post(
        reverse("admin:peers_membership_add"),
        {"user": candidate.pk, "program": program.pk, "role": role, "starts_on": TODAY().isoformat()},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_user_page_offers_no_confidential_role_even_to_a_superuser(client, office, candidate, program):
    client.force_login(office[0])
    page = client.get(reverse("admin:peers_user_change", args=[candidate.pk]))
    inline_form = page.context["inline_admin_formsets"][0].formset.empty_form
    assert Role.SUPPORT_LEAD not in [value for value, _ in inline_form.fields["role"].choices]
    data = {
        **_user_page(candidate),
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-program": program.pk,
        "memberships-0-role": Role.SUPPORT_LEAD,
        "memberships-0-starts_on": TODAY().isoformat(),
    }
    response = client.post(reverse("admin:peers_user_change", args=[candidate.pk]), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_office_ends_a_confidential_membership_in_the_admin_but_cannot_extend_it(
    client, office, candidate, program, leads
):
    membership = role_grant_approve(
        grant=propose(office, candidate, program, ends_on=TODAY() + datetime.timedelta(days=90)), approver=office[1]
    )
    client.force_login(office[0])
    url = reverse("admin:peers_membership_change", args=[membership.pk])
    form = client.get(url).context["adminform"].form
    assert form.fields["role"].disabled and form.fields["user"].disabled and form.fields["program"].disabled
    base = {"class_year": "", "pgy": "", "learning_community": ""}
    later = client.post(url, {**base, "ends_on": (TODAY() + datetime.timedelta(days=200)).isoformat()})
    assert later.status_code == 200 and "needs a new role grant" in later.content.decode()
    response = client.post(url, {**base, "ends_on": TODAY().isoformat()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.ends_on, membership.role, membership.user) == (TODAY(), Role.PEER_SUPPORTER, candidate)
    told = {n.recipient for n in Notification.objects.filter(kind="confidential_membership_ended")}
    assert told == {*leads, candidate}


# --- the role grant admin -----------------------------------------------------------------------


def _action(client, action, grant):
    return client.post(
        reverse("admin:peers_rolegrant_changelist"),
        {"action": action, "_selected_action": [grant.pk]},
        follow=True,
    )


def test_the_office_proposes_in_the_admin_and_another_administrator_approves(client, office, candidate, program, leads):
    client.force_login(office[0])
    response = client.post(
        reverse("admin:peers_rolegrant_add"),
        {
            "user": candidate.pk,
            "program": program.pk,
            "role": Role.PEER_SUPPORTER,
            "starts_on": TODAY().isoformat(),
            "ends_on": "",
            "reason": "Completed the spring training.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = RoleGrant.objects.get(user=candidate)
    assert (grant.status, grant.proposed_by) == (GrantStatus.PROPOSED, office[0])
    assert Notification.objects.get(kind="role_grant_proposed").recipient == office[1]

    own = _action(client, "approve_selected", grant)
    assert own.status_code == 200
    assert "another office administrator must approve it" in own.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()

    client.force_login(office[1])
    approved = _action(client, "approve_selected", grant)
    assert "1 proposal(s) approved" in approved.content.decode()
    grant.refresh_from_db()
    assert (grant.status, grant.approved_by) == (GrantStatus.APPROVED, office[1])
    assert Membership.objects.get(user=candidate, role=Role.PEER_SUPPORTER).grant == grant
    assert Notification.objects.filter(kind="role_grant_approved").count() == len(leads)


def test_the_admin_refuses_a_proposal_for_oneself_next_to_the_form(client, office, program):
    client.force_login(office[0])
    response = client.post(
        reverse("admin:peers_rolegrant_add"),
        {"user": office[0].pk, "program": program.pk, "role": Role.SUPPORT_LEAD, "starts_on": TODAY().isoformat()}
        | {"ends_on": "", "reason": "I would like to read the requests."},
    )
    assert response.status_code == 200 and "Nobody proposes a role for themselves" in response.content.decode()
    assert not RoleGrant.objects.exists()


def test_the_changelist_lists_every_grant_with_who_proposed_and_who_approved(client, office, candidate, program):
    approved = propose(office, candidate, program)
    role_grant_approve(grant=approved, approver=office[1])
    waiting = propose(office, UserFactory(email="waiting@example.edu"), program, role=Role.SUPPORT_LEAD)
    client.force_login(office[1])
    url = reverse("admin:peers_rolegrant_changelist")
    page = client.get(url)
    assert page.context["cl"].result_count == 2
    text = page.content.decode()
    assert "Office One" in text and "Office Two" in text and "Waiting for a second administrator" in text
    assert list(client.get(url, {"status__exact": "approved"}).context["cl"].result_list) == [approved]
    assert list(client.get(url, {"q": "waiting@"}).context["cl"].result_list) == [waiting]


def test_coordinators_cannot_see_or_use_the_role_grant_admin(client, coordinator, office, candidate, program):
    grant = propose(office, candidate, program)
    client.force_login(coordinator)
    assert client.get(reverse("admin:peers_rolegrant_changelist")).status_code == 403
    assert client.get(reverse("admin:peers_rolegrant_add")).status_code == 403
    assert client.get(reverse("admin:peers_rolegrant_change", args=[grant.pk])).status_code == 403
    assert _action(client, "approve_selected", grant).status_code == 403
    assert "rolegrant" not in client.get(reverse("admin:index")).content.decode()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PROPOSED


def test_the_grants_page_has_approve_and_reject_buttons_for_the_other_administrator(
    client, office, coordinator, candidate, program
):
    grant = propose(office, candidate, program)
    page = reverse("admin:peers_rolegrant_change", args=[grant.pk])
    approve = reverse("admin:peers_rolegrant_approve", args=[grant.pk])
    client.force_login(office[0])
    own = client.get(page).content.decode()
    assert approve not in own and "Withdraw" in own
    refused = client.post(approve, follow=True)
    assert "another office administrator must approve it" in refused.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()
    client.force_login(coordinator)
    assert client.post(approve).status_code == 404
    client.force_login(office[1])
    assert approve in client.get(page).content.decode()
    assert client.get(approve).status_code == 405
    assert client.post(approve).status_code == 302
    assert Membership.objects.get(user=candidate).grant == grant
    assert approve not in client.get(page).content.decode()  # decided: no buttons any more


def test_removing_a_confidential_membership_in_the_admin_tells_the_leads_and_keeps_the_grant(
    client, office, candidate, program, leads
):
    membership = role_grant_approve(grant=propose(office, candidate, program), approver=office[1])
    client.force_login(office[0])
    response = client.post(reverse("admin:peers_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert RoleGrant.objects.get(pk=membership.grant_id).status == GrantStatus.APPROVED
    removed = Notification.objects.filter(kind="confidential_membership_removed")
    assert {n.recipient for n in removed} == {*leads, candidate}
    assert all("Casey Candidate" in n.subject or n.recipient == candidate for n in removed)


def test_the_user_page_still_saves_a_person_who_holds_a_confidential_role(client, office, candidate, program):
    membership = role_grant_approve(grant=propose(office, candidate, program), approver=office[1])
    client.force_login(office[0])
    url = reverse("admin:peers_user_change", args=[candidate.pk])
    row = client.get(url).context["inline_admin_formsets"][0].formset.forms[0]
    assert row.fields["role"].disabled and row.fields["program"].disabled
    data = {
        **_user_page(candidate, name="Casey Renamed"),
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-user": candidate.pk,
        "memberships-0-program": program.pk,  # a tampered value would be ignored: the field is disabled
        "memberships-0-role": Role.TRAINEE,
        "memberships-0-starts_on": membership.starts_on.isoformat(),
        "memberships-0-ends_on": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    candidate.refresh_from_db()
    membership.refresh_from_db()
    assert candidate.name == "Casey Renamed" and membership.role == Role.PEER_SUPPORTER


def test_the_grant_list_costs_the_same_queries_however_many_grants(client, office, program, django_assert_num_queries):
    """9 queries, for 2 grants as for 6: the session, the user, their authenticator (the MFA
    check), the program filter's choices, the filtered and the full count, the page of grants
    with their person, program, proposer, approver and rejecter in one join, and the date
    hierarchy's range and days."""
    url = reverse("admin:peers_rolegrant_changelist")
    for _ in range(2):
        role_grant_approve(grant=propose(office, UserFactory(), program), approver=office[1])
    client.force_login(office[1])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    for n in range(4):
        propose(office, UserFactory(), program, role=Role.SUPPORT_LEAD if n % 2 else Role.PEER_SUPPORTER)
    with django_assert_num_queries(9):
        assert client.get(url).context["cl"].result_count == 6
