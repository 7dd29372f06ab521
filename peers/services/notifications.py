"""The one way anything in PEERS tells a person something.

A notification is a row first (idempotent by dedupe key), then a delivery, by one of
two paths that never hold the same row:

- the task queued after commit delivers its one row, locked with SELECT ... FOR
  UPDATE SKIP LOCKED and re-checked while it sends;
- the sweep (and, behind a backlog, the drain tasks it starts) claims rows in batches:
  it locks up to `PEERS_NOTIFICATION_BATCH` due rows SKIP LOCKED, stamps them
  `claimed_until` and commits, then sends them over one SMTP connection, marking each
  sent as it goes. A claimed row is not due for anyone else until the claim lapses
  (`PEERS_NOTIFICATION_CLAIM_SECONDS`); a batch stops sending when half of it has
  passed and hands its unsent rows back, so a slow mail server never lets a claim
  lapse under a row being sent. A worker that dies mid-batch leaves its rows to be
  sent once the claim lapses; only the message in flight can be sent twice.

A failure is recorded on the row with a backoff; after the last attempt the row is
marked failed, where coordinators see it in the admin.
"""

import datetime
import logging
import re
import time
import zoneinfo
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from peers.models import Notification, TrainingProgram, User
from peers.models.notifications import Channel
from peers.services.quiet_hours import quiet_hours_end

logger = logging.getLogger(__name__)

BACKOFF_CAP = datetime.timedelta(hours=1)


class Delivery(StrEnum):
    """What one delivery attempt did."""

    SENT = "sent"
    RETRY = "retry"  # failed; tried again after the backoff
    FAILED = "failed"  # failed for the last time: given up
    SKIPPED = "skipped"  # not due, already sent, given up on, or held by another worker


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


@dataclass(frozen=True)
class NotificationDraft:
    """One notification to create, as `notification_create` takes it: a sweep that tells
    many people gathers these and creates them together (`notifications_create_many`)."""

    recipient: User
    kind: str
    dedupe_key: str
    template: str
    context: dict | None = None
    program: TrainingProgram | None = None
    link: str = ""
    attachments: list[Attachment] | None = None
    quiet_hours: bool = False  # due at the end of the recipient's quiet hours if it falls inside them


def notification_create(
    *,
    recipient: User,
    kind: str,
    dedupe_key: str,
    template: str,
    context: dict | None = None,
    channel: str = Channel.EMAIL,
    due_at: datetime.datetime | None = None,
    program: TrainingProgram | None = None,
    link: str = "",
    attachments: list[Attachment] | None = None,
    quiet_hours: bool = False,
) -> tuple[Notification, bool]:
    """Create the notification unless one with this dedupe key exists.

    `template` names `templates/notifications/<template>` with `.subject.txt`, `.txt`
    and `.html` files. Returns (notification, created). When created and due, a
    delivery task is queued after the surrounding transaction commits. With
    `quiet_hours`, a notice that can wait is due at the end of the recipient's quiet
    hours when it would fall inside them (peers/services/quiet_hours.py).
    """
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    subject, body, body_html = notification_render(template, {"recipient": recipient, "link": link, **(context or {})})
    row = Notification(
        recipient=recipient,
        program=program,
        kind=kind,
        dedupe_key=dedupe_key,
        channel=channel,
        subject=subject,
        body=body,
        body_html=body_html,
        link=link,
        attachments=[a.__dict__ for a in attachments or []],
        due_at=quiet_hours_end(recipient, due_at or timezone.now()) if quiet_hours else due_at or timezone.now(),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return Notification.objects.get(dedupe_key=dedupe_key), False
    if row.due_at <= timezone.now():
        transaction.on_commit(lambda: _enqueue(row.pk))
    return row, True


def notifications_create_many(drafts: list[NotificationDraft]) -> int:
    """Create each draft whose dedupe key is new, due now (or, with `quiet_hours`, at
    the end of the recipient's quiet hours), in three queries whatever their number:

    1. read which of the keys exist already, so only the new ones are rendered;
    2. insert the new rows in one INSERT ... ON CONFLICT DO NOTHING: the unique dedupe
       key still decides, so a row another process inserted meanwhile is skipped, never
       doubled (and never an error that would roll back the caller's claim);
    3. after commit, start the drains, which send them in claimed batches over one
       connection each (nothing is lost if the broker is down: the sweep sends them).
    Returns how many rows were new when read in step 1."""
    keys = [draft.dedupe_key for draft in drafts]
    existing = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    now, seen, rows = timezone.now(), set(), []
    for draft in drafts:
        if draft.dedupe_key in existing or draft.dedupe_key in seen:
            continue
        seen.add(draft.dedupe_key)
        rows.append(_row(draft, now))
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(_start_drains)
    return len(rows)


def _row(draft: NotificationDraft, due_at: datetime.datetime) -> Notification:
    context = {"recipient": draft.recipient, "link": draft.link, **(draft.context or {})}
    subject, body, body_html = notification_render(draft.template, context)
    return Notification(
        recipient=draft.recipient,
        program=draft.program,
        kind=draft.kind,
        dedupe_key=draft.dedupe_key,
        channel=Channel.EMAIL,
        subject=subject,
        body=body,
        body_html=body_html,
        link=draft.link,
        attachments=[a.__dict__ for a in draft.attachments or []],
        due_at=quiet_hours_end(draft.recipient, due_at) if draft.quiet_hours else due_at,
    )


def notification_render(template: str, context: dict) -> tuple[str, str, str]:
    """Render (subject, text, html) with the recipient's zone active, so every time a
    template prints is the recipient's wall-clock time, whoever or whatever (a sweep on
    the server) caused the message. `context["recipient"]` is required."""
    context = {"site_url": settings.PEERS_SITE_URL, **context}
    with timezone.override(zoneinfo.ZoneInfo(context["recipient"].time_zone)):
        subject = render_to_string(f"notifications/{template}.subject.txt", context)
        body = render_to_string(f"notifications/{template}.txt", context)
        body_html = render_to_string(f"notifications/{template}.html", context)
    body = re.sub(r"\n{3,}", "\n\n", body.strip())
    return " ".join(subject.split())[:200], body + "\n", body_html


def _enqueue(notification_id: int) -> None:
    """Queue delivery. A broker outage must not fail the request that created the
    row: the sweep delivers whatever the queue did not."""
    from peers.tasks import notification_deliver_task  # here: peers.tasks imports this module

    try:
        notification_deliver_task.delay(notification_id)
    except Exception:  # kombu raises many types for an unreachable broker
        logger.warning("Broker unavailable; notification %s waits for the sweep.", notification_id, exc_info=True)


def notifications_due(now: datetime.datetime | None = None) -> QuerySet[Notification]:
    """Owed, not backing off, and not claimed by a batch being sent."""
    now = now or timezone.now()
    return (
        Notification.objects.owed(now)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    )


def notification_deliver(*, notification_id: int) -> Delivery:
    """Deliver one notification if it is still due and nobody else holds it.

    1. Lock the row, skipping it if another worker or sweep holds it.
    2. Re-check that it is still unsent, not failed and due.
    3. Send it, then mark it sent in the same transaction; on error record the
       attempt, the error and the next attempt time (or mark it failed).
    Returns what happened (`Delivery`).
    """
    with transaction.atomic():
        row = notifications_due().select_for_update(skip_locked=True).filter(pk=notification_id).first()
        if row is None:
            return Delivery.SKIPPED
        return _send_locked(row)


def notifications_sweep(*, limit: int = 500) -> int:
    """Deliver what is due in claimed batches, up to `limit` rows. When the limit is
    reached, more is probably due (a backlog after a mail outage): drain tasks, one
    per delivery worker process, go on with it. Returns how many were sent."""
    sent, handled = 0, 0
    while handled < limit:
        batch = notifications_claim_batch(size=min(settings.PEERS_NOTIFICATION_BATCH, limit - handled))
        if not batch:
            return sent
        handled += len(batch)
        sent += notifications_send_batch(batch)
    _start_drains()
    return sent


def notifications_drain(*, seconds: float) -> tuple[int, bool]:
    """Deliver batches for about `seconds`. Returns (sent, whether more may be due)."""
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        batch = notifications_claim_batch(size=settings.PEERS_NOTIFICATION_BATCH)
        if not batch:
            return sent, False
        sent += notifications_send_batch(batch)
    return sent, True


def notifications_claim_batch(*, size: int) -> list[Notification]:
    """Claim up to `size` due rows, oldest first, and commit the claim: the rows are
    then this caller's to send until `claimed_until`."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            notifications_due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .order_by("due_at", "pk")[:size]
        )
        if batch:
            claimed_until = now + datetime.timedelta(seconds=settings.PEERS_NOTIFICATION_CLAIM_SECONDS)
            Notification.objects.filter(pk__in=[row.pk for row in batch]).update(claimed_until=claimed_until)
    return batch


def notifications_send_batch(batch: list[Notification]) -> int:
    """Send claimed rows over one connection, opened again after a failed row. When
    the mail server cannot be reached, every email left records that attempt at once
    (no row waits out its own timeout); in-app rows are still delivered. Returns how
    many were sent."""
    stop_at = time.monotonic() + settings.PEERS_NOTIFICATION_CLAIM_SECONDS / 2
    connection = get_connection()
    sent, unreachable = 0, None
    try:
        for number, row in enumerate(batch):
            if time.monotonic() >= stop_at:
                Notification.objects.filter(pk__in=[r.pk for r in batch[number:]]).update(claimed_until=None)
                break
            if row.channel == Channel.EMAIL and (unreachable := unreachable or _open(connection)):
                _record_failure(row, unreachable)
                continue
            outcome = _send_locked(row, connection=connection)
            sent += outcome == Delivery.SENT
            if outcome != Delivery.SENT:
                connection.close()  # a broken session is not reused
    finally:
        connection.close()
    return sent


def _open(connection) -> Exception | None:
    """Open the mail connection if it is not open; the error when it cannot be."""
    try:
        connection.open()  # a no-op when already open
    except Exception as exc:  # any transport error
        return exc
    return None


def _start_drains() -> None:
    from peers.tasks import notifications_drain_task  # here: peers.tasks imports this module

    for _ in range(settings.PEERS_NOTIFICATION_DRAINS):
        try:
            notifications_drain_task.delay()
        except Exception:  # the broker is down: the next sweep goes on with the backlog
            logger.warning("Broker unavailable; the notification backlog waits for the next sweep.", exc_info=True)
            return


def _send_locked(row: Notification, connection=None) -> Delivery:
    """Send a row this caller holds (row lock or claim), and record the outcome."""
    try:
        if row.channel == Channel.EMAIL:
            _send_email(row, connection)
    except Exception as exc:  # any transport error is recorded on the row, never lost
        return _record_failure(row, exc)
    row.attempts += 1
    row.claimed_until = None
    row.sent_at = timezone.now()
    row.save(update_fields=["attempts", "sent_at", "claimed_until"])
    return Delivery.SENT


def _record_failure(row: Notification, exc: Exception) -> Delivery:
    """One failed attempt: back off, or give up after the last one."""
    now = timezone.now()
    row.attempts += 1
    row.claimed_until = None
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if _give_up(row, now):
        row.failed_at = now
        outcome = Delivery.FAILED
    else:
        row.next_attempt_at = now + notification_backoff(row.attempts)
        outcome = Delivery.RETRY
    row.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at", "claimed_until"])
    logger.warning("Notification %s attempt %s: %s", row.pk, row.attempts, row.last_error)
    return outcome


def _give_up(row: Notification, now: datetime.datetime) -> bool:
    """After the last attempt, or once a row has been due for the give-up window (24
    hours by default): a mail server down for an afternoon fails nothing."""
    too_old = now - row.due_at >= datetime.timedelta(hours=settings.PEERS_NOTIFICATION_GIVE_UP_HOURS)
    return row.attempts >= settings.PEERS_NOTIFICATION_MAX_ATTEMPTS or too_old


def notification_backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, 4 min … (PEERS_NOTIFICATION_BACKOFF_SECONDS doubling) capped at an hour."""
    base = settings.PEERS_NOTIFICATION_BACKOFF_SECONDS
    return min(datetime.timedelta(seconds=base * 2 ** (attempts - 1)), BACKOFF_CAP)


def _send_email(row: Notification, connection=None) -> None:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        to=[row.recipient.email],
        headers={"X-PEERS-Notification": str(row.pk)},
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    message.send(fail_silently=False)


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True, due_at__lte=timezone.now()).update(
        read_at=timezone.now()
    )


def notification_retry(*, notification: Notification) -> None:
    """Give a failed notification another round of attempts (an admin action)."""
    Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
        failed_at=None, attempts=0, next_attempt_at=None, last_error=""
    )
