"""Migration 0021 gives each outreach logged before it carried its pair the pair the
mentee was in on the outreach's day, a day of the program's zone. Its backfill runs here
on today's tables (the columns it reads are unchanged since), which takes milliseconds
where migrating the app back and forth takes seconds."""

import datetime
import importlib

import pytest
import time_machine
from django.db import connection

from mentoring import services
from mentoring.models import Outreach
from mentoring.tests.repairing_helpers import second_pair
from peers.models import Membership

pytestmark = pytest.mark.django_db

migration = importlib.import_module("mentoring.migrations.0021_outreach_pair")
TOKYO = "Asia/Tokyo"  # UTC+9: just after midnight there it is still the day before in UTC


def _backfill() -> None:
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)


def test_an_outreach_the_evening_before_a_move_just_after_midnight_stays_with_the_pair_left(pair_world):
    program = pair_world["cycle"].program
    program.time_zone = TOKYO
    program.save(update_fields=["time_zone"])
    left, mentee = pair_world["pair"], pair_world["mentee"]
    joined = second_pair(pair_world["cycle"])
    Membership.objects.filter(user=pair_world["coordinator"]).update(starts_on=datetime.date(2026, 7, 1))
    # Moved at 00:30 on Oct 6 in Tokyo: still Oct 5 (15:30) in UTC.
    with time_machine.travel(datetime.datetime(2026, 10, 5, 15, 30, tzinfo=datetime.UTC), tick=False):
        services.mentee_move(mentee=mentee, to_pair=joined, by=pair_world["coordinator"])
    # Logged before outreach carried a pair: the backfill decides it (here from a wrong start).
    evening = Outreach.objects.create(mentee=mentee, pair=joined, on=datetime.date(2026, 10, 5), channel="text")
    morning = Outreach.objects.create(mentee=mentee, pair=left, on=datetime.date(2026, 10, 6), channel="call")

    _backfill()

    assert Outreach.objects.get(pk=evening.pk).pair == left  # Oct 5 in Tokyo: the day before the move
    assert Outreach.objects.get(pk=morning.pk).pair == joined


def test_an_outreach_of_a_mentee_never_moved_gets_their_pair(pair_world):
    mentee = pair_world["mentee"]
    outreach = Outreach.objects.create(
        mentee=mentee, pair=second_pair(pair_world["cycle"]), on=datetime.date(2026, 10, 5), channel="text"
    )
    _backfill()
    assert Outreach.objects.get(pk=outreach.pk).pair == pair_world["pair"]


def test_the_migration_can_be_unapplied():
    assert all(operation.reversible for operation in migration.Migration.operations)
