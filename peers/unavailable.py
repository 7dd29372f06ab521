"""When the database cannot be reached or cannot write (restarted, a full disk), answer
503 with a page in plain words instead of a 500 or a stack trace.

A view's error reaches `process_exception`. An error raised by another middleware (the
session loaded for a signed-in person while PostgreSQL restarts) is turned into a 500
response by Django right where it happens, before any outer middleware could catch it:
`got_request_exception` marks the request, and this middleware, first in MIDDLEWARE,
swaps that 500 for the 503 page. Both paths work with DEBUG on or off.

Only "the database is unavailable" errors qualify; an IntegrityError or a bad query is
a bug and stays a 500.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 120
_MARK = "_peers_database_unavailable"


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The page itself touches no database: no session, no user, no context processor."""
    saving = request.method not in ("GET", "HEAD")
    response = HttpResponse(render_to_string("errors/503.html", {"saving": saving}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return unavailable_response(request)  # Django has logged the error with its traceback
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error("Database unavailable: %s %s answered 503", request.method, request.path, exc_info=exception)
        return unavailable_response(request)


def _mark_request(sender, request: HttpRequest | None = None, **kwargs) -> None:
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_request, dispatch_uid="peers-database-unavailable")
