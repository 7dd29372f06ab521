"""Two guards on the intake, both kept in the cache (PostgreSQL), shared by every web process.

- A rate limit: 5 new requests an hour per address, and per account for people signed in.
- One request per form: the form carries a one-time submission token; the first POST
  claims it (an atomic cache add), so a doubled POST (a double tap, a reload) creates no
  second request and is sent to the first one's status page instead.

If the cache does not answer, both guards let the request through: someone asking for help is never
turned away because of the cache, at the price of a possible duplicate during an outage.
"""

import base64
import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass

import redis
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest

from peers.addresses import client_address

logger = logging.getLogger(__name__)
CACHE_DOWN = (redis.RedisError, DatabaseError)  # whichever store the cache is on

RATE_LIMIT = 5  # new requests per hour, per address and per account
CLAIM_SECONDS = 3600  # a reload of the same form within the hour is still the same request
# The answer to a doubled POST is the first request's status link: the one copy of a raw
# link outside the requester's page, so it is kept only briefly, under a key that only
# the browser holding the form knows. After that a doubled POST is simply refused.
LINK_SECONDS = 600
_PENDING, _DONE = "pending", "done"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def rate_limited(request: HttpRequest) -> bool:
    """Count this request against its address and, when signed in, its account."""
    keys = [private_key("support-intake", client_address(request))]
    if request.user.is_authenticated:
        keys.append(private_key("support-intake-user", request.user.pk))
    try:
        counts = []
        for key in keys:
            cache.add(key, 0, timeout=3600)
            counts.append(cache.incr(key))
    except (*CACHE_DOWN, ValueError):  # ValueError: the key expired between add and incr
        logger.warning("Support intake rate limit skipped: the cache did not answer")
        return False
    return max(counts) > RATE_LIMIT


def private_key(kind: str, *parts: object) -> str:
    """A cache key that names nobody: the cache is a database table, and a key holding a
    person's id or address (with its expiry time) would say who asked for help, and when.
    An HMAC with the secret key: stable across processes, not reversible from the table."""
    message = ":".join(str(part) for part in parts).encode("utf-8", "surrogatepass")
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:40]
    return f"{kind}:{digest}"


def _link_cipher(token: str) -> Fernet:
    """The first request's link is kept encrypted with the form's own token, which only the
    browser holding the form knows: the table alone never yields a status link."""
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"link:{token}".encode()).digest()))


@dataclass
class Claim:
    key: str | None
    duplicate: bool = False
    token: str = ""

    def release(self) -> None:
        """The request was not created (refused, or an error): the form may be sent again."""
        if self.key:
            _quietly(cache.delete, self.key)

    def done(self, status_url: str) -> None:
        if self.key:
            _quietly(cache.set, self.key, _DONE, timeout=CLAIM_SECONDS)
            sealed = _link_cipher(self.token).encrypt(status_url.encode()).decode()
            _quietly(cache.set, f"{self.key}:link", sealed, timeout=LINK_SECONDS)

    def first_status_url(self, wait_seconds: float = 5.0) -> str | None:
        """Where the first POST's request can be seen, once it has been saved."""
        deadline = time.monotonic() + wait_seconds
        while True:
            value = _quietly(cache.get, self.key)
            if value == _DONE:
                sealed = _quietly(cache.get, f"{self.key}:link")
                try:
                    return _link_cipher(self.token).decrypt(sealed.encode()).decode() if sealed else None
                except InvalidToken:
                    return None
            if value != _PENDING or time.monotonic() >= deadline:
                return None
            time.sleep(0.1)


def claim(request: HttpRequest, token: str) -> Claim:
    """Claim the form's submission token for this person: one cache add, an INSERT on the
    cache table's key, so atomic."""
    if not token or not _TOKEN.fullmatch(token):
        return Claim(key=None)  # a form we did not render: no protection to give
    owner = request.user.pk if request.user.is_authenticated else "anonymous"
    key = private_key("support-intake-claim", owner, token)
    try:
        first = cache.add(key, _PENDING, timeout=CLAIM_SECONDS)
    except CACHE_DOWN:
        logger.warning("Support intake duplicate check skipped: the cache did not answer")
        return Claim(key=None)
    return Claim(key=key, duplicate=not first, token=token)


def _quietly(operation, *args, **kwargs):
    try:
        return operation(*args, **kwargs)
    except CACHE_DOWN:
        logger.warning("Support intake: the cache did not answer")
        return None


# --- emailing the status link: once per request, and a few an hour per address

LINK_SENDS_PER_HOUR = 3
LINK_SENT_SECONDS = 30 * 24 * 3600  # "once": far longer than the page offering it stays open


def link_sends_exceeded(address: str) -> bool:
    key = private_key("support-link-send", address)
    try:
        cache.add(key, 0, timeout=3600)
        return cache.incr(key) > LINK_SENDS_PER_HOUR
    except (*CACHE_DOWN, ValueError):
        logger.warning("Support status-link limit skipped: the cache did not answer")
        return False


def link_send_claim(request_id: int) -> bool:
    """True for the first send of this request's link (an atomic cache add). Without the
    cache, False: the link stays on the page to copy, so nothing is lost."""
    try:
        return cache.add(private_key("support-link-sent", request_id), 1, timeout=LINK_SENT_SECONDS)
    except CACHE_DOWN:
        logger.warning("Support status link not sent: the cache did not answer")
        return False


def link_send_release(request_id: int) -> None:
    _quietly(cache.delete, private_key("support-link-sent", request_id))


# --- asking for a lost status link again: a few an hour per address

RECOVERIES_PER_HOUR = 5


def recovery_limited(request: HttpRequest) -> bool:
    """Count a "lost my link" post against its address. Past the limit the post is not
    saved at all, so a bot fills no table and sends no email."""
    key = private_key("support-recover", client_address(request))
    try:
        cache.add(key, 0, timeout=3600)
        return cache.incr(key) > RECOVERIES_PER_HOUR
    except (*CACHE_DOWN, ValueError):
        logger.warning("Support link-recovery limit skipped: the cache did not answer")
        return False
