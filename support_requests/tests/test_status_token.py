"""A status link is a secret: the database keeps only its hash, nothing anywhere holds
the token (columns, history contexts, logs, notifications), and guessing is limited."""

import io
import logging
import re

import pytest
from django.db import connection
from django.urls import reverse

from peers.models import AccessLog
from support_requests.access import UNKNOWN_TOKENS_PER_HOUR
from support_requests.models import SupportRequest, status_token_hash
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db

SCREEN = {f"{key}": "no" for key in NO}


def _ask_for_support(client, program) -> str:
    """Through the public intake, as a requester without an account; returns the token."""
    client.post(reverse("support:intake"), {**SCREEN, "program": program.pk})
    page = client.post(
        reverse("support:intake"),
        {
            **SCREEN,
            "program": program.pk,
            "step": "details",
            "reason": "burnout",
            "description": "It happened on nights.",
            "contact_method": "phone",
            "contact_details": "555-0133",
            "urgency": "this_week",
        },
    ).content.decode()
    return re.search(r'href="/support/status/([^/"]+)/"', page).group(1)


def _rows_containing(text: str) -> list[str]:
    """Every text, varchar and JSON column of every table that holds `text`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')"
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE %s', [f"%{text}%"])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_the_database_holds_only_the_hash_of_a_status_link(client, program, lead):
    token = _ask_for_support(client, program)
    request = SupportRequest.objects.get()
    assert request.status_token_hash == status_token_hash(token) != token
    # The requester uses the link: a read and a change of contact details (a history row).
    assert client.get(reverse("support:status", args=[token])).status_code == 200
    client.post(
        reverse("support:status", args=[token]), {"contact_method": "email", "contact_details": "me@private.example"}
    )
    request.refresh_from_db()
    assert request.contact_details == "me@private.example"
    assert _rows_containing(token) == []
    assert _rows_containing(token[:16]) == []


def test_log_lines_never_carry_a_status_link(client, program, lead):
    token = _ask_for_support(client, program)
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        client.get(reverse("support:status", args=[token]))
        client.get(reverse("support:status", args=[token + "x"]))  # a 404 Django logs with its path
    finally:
        handler.setStream(previous)
    assert "/support/status/" in written.getvalue()  # the 404 was logged...
    assert token not in written.getvalue()  # ...without the secret


def test_guessing_status_links_is_limited_and_does_not_flood_the_access_log(client, program, lead):
    token = _ask_for_support(client, program)
    answers = [client.get(f"/support/status/guess{n}/").status_code for n in range(UNKNOWN_TOKENS_PER_HOUR + 5)]
    assert answers[:UNKNOWN_TOKENS_PER_HOUR] == [404] * UNKNOWN_TOKENS_PER_HOUR
    assert set(answers[UNKNOWN_TOKENS_PER_HOUR:]) == {429}
    assert "Please wait" in client.get("/support/status/guess-again/").content.decode()
    guesses = AccessLog.objects.using("audit").filter(object_id="unknown-token").count()
    assert guesses == UNKNOWN_TOKENS_PER_HOUR
    # Someone guessing from the requester's connection does not lock the requester out.
    assert client.get(reverse("support:status", args=[token])).status_code == 200
    assert client.get("/support/status/guess-from-elsewhere/", REMOTE_ADDR="192.0.2.7").status_code == 404
