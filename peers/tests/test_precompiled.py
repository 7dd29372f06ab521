"""peers/precompiled.py: a queryset compiled once gives what the queryset gives, for any
arguments, and a builder that would freeze a value is refused."""

import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peers.models import Membership, Notification, Role
from peers.precompiled import Precompiled
from peers.tests.factories import MembershipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _members(*, program_ids: list[int], since: datetime.datetime, role: str):
    """Memberships with their user and program, a subquery and an annotation, newest first."""
    newest_notice = Notification.objects.filter(recipient=OuterRef("user")).order_by("-due_at")
    return (
        Membership.objects.filter(program__in=program_ids, role=role, user__date_joined__gte=since)
        .select_related("user", "program")
        .annotate(programs_held=Count("user__memberships"), last_notice=Subquery(newest_notice.values("subject")[:1]))
        .annotate(role_again=F("role"))
        .order_by("-pk")
    )


members = Precompiled(_members, program_ids=list, since=datetime.datetime, role=str)


def _seen(rows) -> list[tuple]:
    return [(m.pk, m.user.email, m.program.name, m.programs_held, m.last_notice, m.role_again) for m in rows]


def test_it_gives_what_the_queryset_gives_for_every_argument_and_page():
    one, two, three = ProgramFactory(), ProgramFactory(), ProgramFactory()
    for program in (one, two, three):
        for _ in range(3):
            MembershipFactory(program=program, role=Role.TRAINEE)
        MembershipFactory(program=program, role=Role.FACILITATOR)
    person = Membership.objects.filter(program=one, role=Role.TRAINEE).first().user
    MembershipFactory(user=person, program=two, role=Role.FACILITATOR)
    Notification.objects.create(
        recipient=person, kind="test", subject="Hello", due_at=timezone.now() + datetime.timedelta(days=999)
    )
    long_ago = timezone.now() - datetime.timedelta(days=1)
    cases = [
        {"program_ids": [one.pk], "since": long_ago, "role": Role.TRAINEE},
        {"program_ids": [one.pk, two.pk], "since": long_ago, "role": Role.FACILITATOR},
        {"program_ids": [three.pk, one.pk, two.pk], "since": long_ago, "role": Role.TRAINEE},
        {"program_ids": [one.pk], "since": timezone.now() + datetime.timedelta(days=1), "role": Role.TRAINEE},
        {"program_ids": [two.pk], "since": long_ago, "role": Role.TRAINEE},  # the one-list SQL again
    ]
    for arguments in cases:
        expected = _seen(_members(**arguments))
        assert _seen(members(**arguments)) == expected
        assert _seen(members(**arguments, limit=2, offset=1)) == expected[1:3]
    assert any(row[4] == "Hello" for row in _seen(members(**cases[0])))


def test_a_call_is_one_query_and_prefetches_run_as_they_would():
    program = ProgramFactory()
    MembershipFactory(program=program, role=Role.TRAINEE)

    def with_prefetch(*, program_id: int):
        return Membership.objects.filter(program=program_id).prefetch_related("user__memberships")

    compiled = Precompiled(with_prefetch, program_id=int)
    compiled(program_id=program.pk)
    with CaptureQueriesContext(connection) as queries:
        (row,) = compiled(program_id=program.pk)
        assert [m.program_id for m in row.user.memberships.all()] == [program.pk]
    assert len(queries) == 3  # the memberships, then the prefetch's users and their memberships


def test_a_builder_that_reads_the_clock_is_refused():
    def reads_the_clock(*, user_id: int):
        return Notification.objects.filter(recipient=user_id, due_at__lte=timezone.now())

    with pytest.raises(ImproperlyConfigured, match="derived from an argument or from the clock"):
        Precompiled(reads_the_clock, user_id=int)(user_id=UserFactory().pk)


def test_a_builder_that_derives_a_value_from_an_argument_is_refused():
    def by_year(*, since: datetime.datetime):
        return Notification.objects.filter(due_at__year=since.year)

    with pytest.raises(ImproperlyConfigured, match="derived"):
        Precompiled(by_year, since=datetime.datetime)(since=timezone.now())


def test_an_argument_that_does_not_reach_the_sql_is_refused():
    def ignores_it(*, user_id: int):
        return Notification.objects.filter(recipient=1)

    with pytest.raises(ImproperlyConfigured, match="do not reach the SQL"):
        Precompiled(ignores_it, user_id=int)(user_id=1)


def test_a_builder_that_slices_is_refused_and_arguments_must_match():
    def sliced(*, user_id: int):
        return Notification.objects.filter(recipient=user_id)[:5]

    with pytest.raises(ImproperlyConfigured, match="must not slice"):
        Precompiled(sliced, user_id=int)(user_id=1)
    with pytest.raises(TypeError):
        members(program_ids=[1], role=Role.TRAINEE)
    with pytest.raises(ValueError, match="empty"):
        members(program_ids=[], since=timezone.now(), role=Role.TRAINEE)


@pytest.mark.django_db(transaction=True)
def test_threads_calling_at_once_each_get_their_own_rows():
    """The compiled state is per thread: the parameters one thread fills in never reach
    another thread's query (threads, each on its own connection)."""
    programs = [ProgramFactory() for _ in range(4)]
    expected = {}
    for index, program in enumerate(programs):
        for _ in range(index + 1):
            MembershipFactory(program=program, role=Role.TRAINEE)
        expected[program.pk] = sorted(Membership.objects.filter(program=program).values_list("pk", flat=True))
    long_ago = timezone.now() - datetime.timedelta(days=1)
    barrier, wrong, errors = threading.Barrier(4), [], []

    def read(program_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(30):
                rows = members(program_ids=[program_id], since=long_ago, role=Role.TRAINEE)
                if sorted(m.pk for m in rows) != expected[program_id]:
                    wrong.append(program_id)
        except Exception as error:  # reported below, with the thread's own error
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(program.pk,)) for program in programs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and wrong == []
