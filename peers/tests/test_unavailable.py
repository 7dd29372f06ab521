"""A database that cannot be reached or cannot write answers 503 in plain words, wherever
the error comes from; any other database error is a bug and stays a 500."""

import logging
from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db
DISK_FULL = OperationalError('could not extend file "base/16384/17801": No space left on device')


def test_a_save_that_hits_a_full_disk_answers_503_in_plain_words_and_is_logged(client, trainee, caplog):
    client.force_login(trainee)
    with mock.patch("peers.views.notifications_mark_all_read", side_effect=DISK_FULL), caplog.at_level(logging.ERROR):
        response = client.post(reverse("inbox_mark_all_read"))
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert "We could not save this just now" in page and "Nothing was lost" in page
    assert "try again in a few minutes" in page and "emergency" in page
    assert "Traceback" not in page and "No space left" not in page
    assert any("Database unavailable: POST /inbox/read-all/" in r.getMessage() for r in caplog.records)


def test_a_page_read_while_the_database_is_down_says_so(client, trainee):
    client.force_login(trainee)
    with mock.patch("peers.views.inbox_for", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("inbox"))
    assert response.status_code == 503
    assert "We could not open this page just now" in response.content.decode()


def test_an_error_raised_in_a_middleware_also_answers_503(client, trainee, settings):
    """Loading a signed-in person's session happens in middleware, before any view."""
    client.force_login(trainee)
    client.raise_request_exception = False
    with mock.patch("peers.middleware.idle_limit_minutes", side_effect=OperationalError("server closed")):
        response = client.get(reverse("inbox"))
    assert response.status_code == 503 and "We could not open this page just now" in response.content.decode()
    settings.DEBUG = True  # the developer's server shows the same page, not a traceback
    with mock.patch("peers.middleware.idle_limit_minutes", side_effect=OperationalError("server closed")):
        response = client.get(reverse("inbox"))
    assert response.status_code == 503


def test_a_bug_in_a_query_is_still_a_500(client, trainee):
    client.force_login(trainee)
    client.raise_request_exception = False
    with mock.patch("peers.views.notifications_mark_all_read", side_effect=IntegrityError("duplicate key")):
        response = client.post(reverse("inbox_mark_all_read"))
    assert response.status_code == 500
