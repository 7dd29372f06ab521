"""The default cache counts exactly under concurrency (peers/cache.py): the rate limits and
the intake's per-person counts rest on `incr`."""

import pytest
from django.core.cache import cache

from peers.testing.concurrency import run_concurrently


@pytest.mark.django_db(transaction=True)
def test_counts_made_at_the_same_time_are_each_counted():
    cache.add("counter", 0, timeout=600)

    def count_fifty():
        return [cache.incr("counter") for _ in range(50)]

    results = run_concurrently(*[count_fifty] * 6)
    seen = [number for numbers in results for number in numbers]
    assert cache.get("counter") == 300
    assert sorted(seen) == list(range(1, 301))  # no two requests were told the same count


@pytest.mark.django_db
def test_a_missing_or_expired_key_cannot_be_counted():
    with pytest.raises(ValueError):
        cache.incr("never-set")
    cache.set("short", 1, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("short")
    cache.set("kept", 41, timeout=60)
    assert cache.incr("kept") == 42 and cache.get("kept") == 42
