"""The client's address, the one value rate limits, the access log and allauth share.

Behind proxies, X-Forwarded-For reads "client, proxy1, proxy2": each proxy appends the
address it received the request from. Whatever a client writes in the header itself ends up
on the left, so only the entries our own proxies appended can be believed. With
PEERS_TRUSTED_PROXY_COUNT = N the client is the N-th entry from the right; never the first.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request, or "unknown".

    1. Without trusted proxies (the default), REMOTE_ADDR: the socket's peer.
    2. With N trusted proxies, the N-th address from the right of X-Forwarded-For.
    3. A header with fewer than N entries (or a malformed one) did not come through all
       our proxies, so nothing in it is believed: REMOTE_ADDR again. People then share
       the proxy's address, which makes limits stricter, never looser.
    """
    remote = _ip(request.META.get("REMOTE_ADDR", "")) or "unknown"
    count = settings.PEERS_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(entries) < count:
        return remote
    return _ip(entries[-count]) or remote
