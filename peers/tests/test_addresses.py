"""The client's address behind proxies: taken from the right of X-Forwarded-For, never
from what the client wrote on its left."""

import pytest
from django.test import RequestFactory

from peers.adapters import AccountAdapter
from peers.addresses import client_address

PROXY = "10.0.0.5"


def _request(forwarded: str | None = None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.PEERS_TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("198.51.100.9")) == PROXY


def test_with_one_proxy_the_last_entry_is_the_client_not_the_first(settings):
    settings.PEERS_TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_with_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.PEERS_TRUSTED_PROXY_COUNT = 2
    assert client_address(_request("1.2.3.4,203.0.113.7, 10.0.0.1")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "203.0.113.7", "not-an-address, 10.0.0.1", "  ,  "])
def test_a_short_or_malformed_header_falls_back_to_the_socket_address(settings, forwarded):
    settings.PEERS_TRUSTED_PROXY_COUNT = 2
    assert client_address(_request(forwarded)) == PROXY


def test_allauth_uses_the_same_address(settings):
    settings.PEERS_TRUSTED_PROXY_COUNT = 1
    request = _request("1.2.3.4, 203.0.113.7")
    assert AccountAdapter(request).get_client_ip(request) == "203.0.113.7"
