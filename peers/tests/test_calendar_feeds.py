"""A person's calendar feed address: kept only as a hash, revocable by the office and
by the person's coordinators from the admin."""

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from peers.models import Role, User
from peers.models.users import calendar_token_hash
from peers.services.calendar_feeds import calendar_token_new
from peers.tests.factories import MembershipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_database_keeps_only_a_hash_of_the_feed_address(client, trainee):
    token = calendar_token_new(user=trainee)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM peers_user WHERE id = %s", [trainee.pk])
        row = cursor.fetchone()
    assert token not in [str(value) for value in row]
    assert calendar_token_hash(token) in row
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 200


def test_a_coordinator_revokes_a_feed_and_the_old_address_answers_404(client, coordinator, trainee):
    token = calendar_token_new(user=trainee)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:peers_user_changelist"),
        {"action": "revoke_calendar_feed", "_selected_action": [trainee.pk]},
        follow=True,
    )
    assert "Revoked 1 calendar feed" in response.content.decode()
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404
    trainee.refresh_from_db()
    assert trainee.calendar_token_hash is None


def test_a_coordinator_cannot_revoke_the_feed_of_someone_outside_their_programs(client, coordinator):
    outsider = UserFactory(email="elsewhere@example.edu")
    MembershipFactory(user=outsider, program=ProgramFactory(name="Other"), role=Role.TRAINEE)
    token = calendar_token_new(user=outsider)
    client.force_login(coordinator)
    client.post(
        reverse("admin:peers_user_changelist"),
        {"action": "revoke_calendar_feed", "_selected_action": [outsider.pk]},
    )
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 200


def test_the_migration_stores_the_hash_that_the_feed_looks_up(trainee, client):
    """Migration 0011 hashes each existing token as the feed lookup does, so an address
    subscribed before it keeps working after it."""
    migration = importlib.import_module("peers.migrations.0013_calendar_token_hash")
    old_token = "an-address-subscribed-before-the-migration"

    class Users:
        def values_list(self, *fields):
            return [(trainee.pk, old_token)]

        def filter(self, pk):
            return User.objects.filter(pk=pk)

    class Apps:
        def get_model(self, app, name):
            return type("HistoricalUser", (), {"objects": Users()})

    migration.hash_existing_tokens(Apps(), None)
    assert client.get(reverse("calendar_feed", args=[old_token])).status_code == 200
