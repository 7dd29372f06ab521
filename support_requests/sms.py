"""Text messages, behind a pluggable backend like Django's email backends.

`PEERS_SMS_BACKEND` (environment) names a class with `send(to: str, body: str) -> None`. The
default prints one line (`ConsoleBackend`, for development); tests use `LocmemBackend`,
whose `outbox` keeps what was sent. Production integration point: write a backend for
the institution's SMS provider (its API call in `send`, raising on failure) and set
`PEERS_SMS_BACKEND` to its dotted path. Nothing is stored: a text with a private link
is sent at once, like the status-link email."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from peers.env import env_str


@dataclass(frozen=True)
class Text:
    to: str
    body: str


class ConsoleBackend:
    def send(self, to: str, body: str) -> None:
        print(f"[sms] to {to} · {len(body)} characters")  # never the body: it holds a private link


class LocmemBackend:
    outbox: list[Text] = []

    def send(self, to: str, body: str) -> None:
        LocmemBackend.outbox.append(Text(to=to, body=body))


DEFAULT_BACKEND = "support_requests.sms.ConsoleBackend"


def send_text(to: str, body: str) -> None:
    """The Django setting (tests) or else the environment variable, both `PEERS_SMS_BACKEND`:
    read here, so the core's settings name no app."""
    backend = getattr(settings, "PEERS_SMS_BACKEND", None) or env_str("PEERS_SMS_BACKEND", DEFAULT_BACKEND)
    import_string(backend)().send(to, body)
