"""Support requests written in bulk, for the sweeps' query and scale tests."""

import itertools
from collections.abc import Callable

from support_requests.models import SupportRequest

# Thousands of random six-letter references can collide (32**6 is about 10**9): bulk rows
# take their own, lowercase so they never meet a real one.
_references = (f"PS-b{n:07d}" for n in itertools.count())


def bulk_requests(program, count: int, fields: Callable[[int], dict]) -> list[SupportRequest]:
    """`count` requests of `program` in one insert; `fields(n)` gives the n-th one's
    fields (a burnout request by email unless they say otherwise)."""
    return SupportRequest.objects.bulk_create(
        SupportRequest(
            **{
                "reference": next(_references),
                "program": program,
                "reason": "burnout",
                "description": "Night shifts are wearing me down.",
                "contact_method": "email",
                "contact_details": "me@private.example",
                **fields(n),
            }
        )
        for n in range(count)
    )
