"""Every notification kind is a named message: three templates on the shared layout,
rendered in the recipient's zone whatever zone the sender (or the server) is in."""

import datetime
import pathlib

import pytest
from django.conf import settings
from django.utils import timezone

from peers import notify
from peers.models import GrantStatus, Notification, RoleGrant
from peers.models.programs import Role
from peers.services.notifications import notification_render
from peers.tests.factories import ProgramFactory, UserFactory, office_administrators

TEMPLATES = pathlib.Path(settings.BASE_DIR) / "templates" / "notifications"
KINDS = sorted({p.name.split(".")[0] for p in TEMPLATES.iterdir()} - {"base"})


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_subject_a_text_and_an_html_on_the_layout(kind):
    subject, text, html = (TEMPLATES / f"{kind}{suffix}" for suffix in (".subject.txt", ".txt", ".html"))
    assert subject.exists() and text.exists() and html.exists()
    assert text.read_text().startswith('{% extends "notifications/base.txt" %}')
    assert html.read_text().startswith('{% extends "notifications/base.html" %}')


@pytest.mark.django_db
def test_a_time_is_shown_in_the_recipients_zone_with_the_zone_named():
    proposer, approver = office_administrators()
    approver.time_zone = "Asia/Tokyo"
    candidate = UserFactory(name="Dana O'Neil")
    program = ProgramFactory()
    proposed_at = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=datetime.UTC)
    grant = RoleGrant.objects.create(
        user=candidate,
        program=program,
        role=Role.PEER_SUPPORTER,
        starts_on=datetime.date(2026, 12, 9),
        reason="Trained in November",
        proposed_by=proposer,
        proposed_at=proposed_at,
    )
    with timezone.override("America/Vancouver"):
        subject, text, html = notification_render("role_grant_proposed", {"recipient": approver, "grant": grant})
    assert "Tue Dec 8, 2026, 23:30 JST" in text and "Tue Dec 8, 2026, 23:30 JST" in html
    assert "O'Neil" in text and "O'Neil" in subject, "plain text is not HTML-escaped"
    assert "O&#x27;Neil" in html
    assert "Asia/Tokyo" in text and "\n\n\n" not in text


def test_the_core_sends_only_named_kinds():
    functions = [name for name in dir(notify) if name.startswith(("role_grant_", "confidential_"))]
    assert set(functions) <= set(KINDS)


@pytest.fixture
def tokyo_grant(db):
    """A grant decided at 14:30 UTC (23:30 in Tokyo) whose every person reads in Tokyo."""
    proposer, approver = office_administrators()
    decided = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=datetime.UTC)
    grant = RoleGrant.objects.create(
        user=UserFactory(name="Sam Lee", time_zone="Asia/Tokyo"),
        program=ProgramFactory(),
        role=Role.PEER_SUPPORTER,
        starts_on=datetime.date(2026, 12, 9),
        reason="Trained in November",
        proposed_by=proposer,
        proposed_at=decided,
    )
    grant.decider = approver
    for person in (proposer, approver):
        person.time_zone = "Asia/Tokyo"
        person.save(update_fields=["time_zone"])
    return grant


def _decide(grant: RoleGrant, status: str) -> RoleGrant:
    """Record the decision at the same 14:30 UTC, as the services would."""
    prefix = "approved" if status == GrantStatus.APPROVED else "rejected"
    setattr(grant, f"{prefix}_by", grant.decider)
    setattr(grant, f"{prefix}_at", grant.proposed_at)
    grant.status = status
    grant.save()
    return grant


CORE_KINDS = {
    "role_grant_proposed": (lambda g: notify.role_grant_proposed(g, g.decider), True),
    "role_grant_approved": (lambda g: notify.role_grant_approved(_decide(g, GrantStatus.APPROVED), g.decider), True),
    "role_grant_received": (lambda g: notify.role_grant_received(_decide(g, GrantStatus.APPROVED)), False),
    "role_grant_rejected": (lambda g: notify.role_grant_rejected(_decide(g, GrantStatus.REJECTED)), True),
}


@pytest.mark.parametrize("kind", sorted(CORE_KINDS))
def test_each_core_kind_reads_in_the_recipients_zone(tokyo_grant, kind):
    send, shows_a_time = CORE_KINDS[kind]
    with timezone.override("America/Vancouver"):
        send(tokyo_grant)
    notification = Notification.objects.get(kind=kind)
    assert "Asia/Tokyo" in notification.body
    if kind != "role_grant_rejected":  # the refusal says what was proposed, not from when
        assert "Wed Dec 9, 2026" in notification.body
    if shows_a_time:
        assert "Tue Dec 8, 2026, 23:30 JST" in notification.body
        assert "Tue Dec 8, 2026, 23:30 JST" in notification.body_html
    assert "PST" not in notification.body
