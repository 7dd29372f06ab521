"""The benchmark's support requests: two years of them, their content encrypted as the
intake stores it (peers/fields.py, through bulk_create).

97 in 100 are closed: those closed longer than the retention period are purged, except
one in a thousand still waiting for the purge sweep. Three in 100 are open, waiting to be
matched, and one in a thousand of those is past its first-contact and overdue times with
no one told yet (what the first-contact sweep finds due).
"""

import datetime

from peers.bench_data import Context, bulk
from support_requests.models import REFERENCE_ALPHABET, ContactMethod, Outcome, Reason, SupportRequest

RETENTION_DAYS = 180  # the programs' default
REASONS = list(Reason.values)
OUTCOMES = list(Outcome.values)


def grow(ctx: Context) -> None:
    serial = 0
    for index, program in enumerate(ctx.programs):
        trainees = ctx.trainees[program.pk]
        count = ctx.share("support_requests", index)
        ctx.count("support_requests", bulk(SupportRequest, _requests(ctx, program, trainees, count, serial)))
        serial += count


def _reference(n: int) -> str:
    letters = []
    for _ in range(6):
        n, digit = divmod(n, len(REFERENCE_ALPHABET))
        letters.append(REFERENCE_ALPHABET[digit])
    return "PB-" + "".join(letters)


def _requests(ctx: Context, program, trainees: list[int], count: int, serial: int):
    for n in range(count):
        number = serial + n
        open_, overdue, unpurged = number % 100 < 3, number % 1000 == 1, number % 1000 == 505
        created = ctx.now - datetime.timedelta(
            hours=72 if overdue else ctx.rng.randrange(1, 20) if open_ else ctx.rng.randrange(48, 17_000)
        )
        closed = None if open_ else created + datetime.timedelta(days=ctx.rng.randrange(1, 20))
        closed = min(closed, ctx.now - datetime.timedelta(hours=1)) if closed else None
        if unpurged and closed:
            closed = ctx.now - datetime.timedelta(days=RETENTION_DAYS + 2)
        purged = closed and closed < ctx.now - datetime.timedelta(days=RETENTION_DAYS) and not unpurged
        yield SupportRequest(
            reference=_reference(number),
            program=program,
            requester_id=trainees[number % len(trainees)] if number % 2 else None,
            status=SupportRequest.Status.NEW if open_ else SupportRequest.Status.CLOSED,
            reason=REASONS[number % len(REASONS)],
            screening=None if purged else "",
            description=None if purged else f"Bench request {number}: a hard week on the ward.",
            contact_method=ContactMethod.EMAIL,
            contact_details=None if purged else f"requester{number}@{ctx.now:%Y}.example",
            preferences=None if purged else {"career_stage": "resident"},
            first_contact_due_at=created + datetime.timedelta(hours=24),
            overdue_at=created + datetime.timedelta(hours=48),
            first_contact_at=None if open_ else created + datetime.timedelta(hours=6),
            closed_at=closed,
            outcome="" if open_ else OUTCOMES[number % len(OUTCOMES)],
            purged_at=closed + datetime.timedelta(days=RETENTION_DAYS) if purged else None,
            created_at=created,
        )
