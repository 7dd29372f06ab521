"""Private links carry their secret in the path (a requester's status link, a person's
calendar feed). The secret must not be written anywhere else: not in history contexts
(django-pghistory records the URL of every write), not in log lines (Django logs the
path of every 404, the development server every request). This module is the one
place that knows which paths carry a secret."""

import logging
import re

import pghistory.middleware
from django.conf import settings

REDACTED = "[redacted]"


def _pattern() -> re.Pattern:
    prefixes = "|".join(re.escape(prefix) for prefix in settings.PEERS_SECRET_PATH_PREFIXES)
    return re.compile(rf"({prefixes})[^/\s?#\"'<>]+")


def redact(text: str) -> str:
    """`text` with the secret part of every private link replaced."""
    if not settings.PEERS_SECRET_PATH_PREFIXES:
        return text
    return _pattern().sub(rf"\g<1>{REDACTED}", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites each log record's message with private links redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """pghistory's context middleware, recording the path with its secret redacted."""

    def get_context(self, request) -> dict:
        context = super().get_context(request)
        context["url"] = redact(context.get("url") or "")
        return context
