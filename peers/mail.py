"""The demo's email backend: one console line per email, the whole message kept on disk.

With DJANGO_DEBUG on and no EMAIL_URL (as under `make run`), every email goes here
instead of being printed as raw MIME. Each message

1. is written as one `.eml` file to PEERS_DEMO_MAIL_DIR (`.data/demo-mail`, under the
   run's data directory), which the web, the worker and beat all share: a file is
   written under a temporary name and renamed, so a reader never sees half of one;
2. is announced on the process's console as one line: recipient, subject, the first
   link, and where to read it in full;
3. can be read in full at /dev/mail/ (peers/mail_views.py) while debug is on.

Only the newest PEERS_DEMO_MAIL_KEEP messages are kept.
"""

import email
import email.policy
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailAlternative
from django.urls import reverse

from peers.redaction import redact

MESSAGE_ID = re.compile(r"^[0-9]{19,20}-[0-9a-f]{8}$")
LINK = re.compile(r"https?://[^\s<>\"')]+")


@dataclass(frozen=True)
class StoredMail:
    id: str
    sent_at: datetime
    to: str
    sender: str
    subject: str
    text: str
    html: str

    @property
    def first_link(self) -> str:
        found = LINK.search(self.text) or LINK.search(self.html)
        return found.group(0) if found else ""


class DemoEmailBackend(BaseEmailBackend):
    def __init__(self, *, fail_silently: bool = False, stream=None, directory: Path | None = None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        # The process's own stdout: Celery's worker would turn sys.stdout into WARNING log lines.
        self.stream = stream or sys.__stdout__ or sys.stdout
        self.directory = Path(directory or settings.PEERS_DEMO_MAIL_DIR)

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            try:
                _redact(message)
                mail = mail_store(directory=self.directory, raw=message.message().as_bytes())
                self.stream.write(mail_console_line(mail=mail) + "\n")
                self.stream.flush()
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent


def _redact(message) -> None:
    """A private link (a support request's status page) never reaches the demo mail folder or
    the console: the viewer is open to staff, or to anyone in a demo, and the link is the
    requester's only key. The person who asked sees it on their confirmation page."""
    message.subject = redact(message.subject)
    message.body = redact(message.body)
    alternatives = getattr(message, "alternatives", None)
    if alternatives:
        message.alternatives = [EmailAlternative(redact(content), mimetype) for content, mimetype in alternatives]


def mail_store(*, directory: Path, raw: bytes) -> StoredMail:
    directory.mkdir(parents=True, exist_ok=True)
    message_id = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
    partial = directory / f".{message_id}.partial"
    partial.write_bytes(raw)
    os.replace(partial, directory / f"{message_id}.eml")
    mail_prune(directory=directory, keep=settings.PEERS_DEMO_MAIL_KEEP)
    return _parse(message_id, raw)


def mail_prune(*, directory: Path, keep: int) -> None:
    for path in sorted(directory.glob("*.eml"), reverse=True)[keep:]:
        path.unlink(missing_ok=True)  # another process may have pruned it already


def mail_console_line(*, mail: StoredMail) -> str:
    parts = [f"[mail] to {mail.to}", f'"{mail.subject}"']
    if mail.first_link:
        parts.append(mail.first_link)
    viewer = settings.PEERS_SITE_URL + reverse("dev_mail_detail", args=[mail.id])
    return " · ".join(parts) + f" (full email: {viewer})"


def mail_list(*, directory: Path, limit: int = 100) -> list[StoredMail]:
    """The newest emails first."""
    paths = sorted(directory.glob("*.eml"), reverse=True)[:limit] if directory.is_dir() else []
    mails = []
    for path in paths:
        try:
            mails.append(_parse(path.stem, path.read_bytes()))
        except FileNotFoundError:  # pruned meanwhile
            continue
    return mails


def mail_get(*, directory: Path, message_id: str) -> StoredMail | None:
    if not MESSAGE_ID.match(message_id):
        return None
    try:
        return _parse(message_id, (directory / f"{message_id}.eml").read_bytes())
    except FileNotFoundError:
        return None


def _parse(message_id: str, raw: bytes) -> StoredMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    return StoredMail(
        id=message_id,
        sent_at=datetime.fromtimestamp(int(message_id.split("-")[0]) / 1e9, tz=UTC),
        to=str(message.get("To", "")),
        sender=str(message.get("From", "")),
        subject=str(message.get("Subject", "")),
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
    )
