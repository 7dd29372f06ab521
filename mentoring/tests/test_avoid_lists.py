"""The people an applicant or a future mentee asked to avoid are encrypted at rest: the
database holds neither their id nor their name in clear, the solver still honours them,
the coordinators still read them in the admin (each reading logged), key rotation
rewrites them, and the migration carried the old plain lists over and can carry them back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from mentoring import services
from mentoring.models import Application, Mentee, MenteePreference, MentorPair
from mentoring.pairing import CONFLICT
from mentoring.services.preferences import mentee_preference_save
from mentoring.tests.repairing_helpers import applied
from peers.models import AccessLog, Role
from peers.services import crypto
from peers.tests.factories import MembershipFactory, UserFactory

AVOIDED_PK = 987654321  # long enough that no token holds it by chance
BEFORE, AFTER = ("mentoring", "0022_mentor_taken_from_a_running_pair"), ("mentoring", "0023_avoid_lists_encrypted")


def _avoided(program):
    person = UserFactory(pk=AVOIDED_PK, name="Quinn Avoidable", email="quinn.avoidable@example.edu")
    MembershipFactory(user=person, program=program, role=Role.PEER_MENTOR)
    return person


def _first_year(program):
    student = MembershipFactory(program=program, role=Role.TRAINEE, class_year=1).user
    return student


def _raw(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT avoid_ids FROM {table} WHERE id = %s", [pk])  # noqa: S608 (a model's table)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_database_holds_no_avoided_persons_id_or_name_in_clear(pair_world):
    cycle = pair_world["cycle"]
    avoided = _avoided(cycle.program)
    student = _first_year(cycle.program)
    wish = mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=avoided.email)
    application = applied(cycle, pair_world["third"], year=3, status="selected")
    application.avoid_set([avoided])
    application.save()

    for table, pk in ((MenteePreference._meta.db_table, wish.pk), (Application._meta.db_table, application.pk)):
        raw = _raw(table, pk)
        assert raw.startswith("gAAAAA")  # a Fernet token
        for clear in (str(AVOIDED_PK), "Quinn", "Avoidable", avoided.email):
            assert clear not in raw
    assert MenteePreference.objects.get(pk=wish.pk).avoided_ids == {AVOIDED_PK}
    assert Application.objects.get(pk=application.pk).avoided_ids == {AVOIDED_PK}
    tables = set(connection.introspection.table_names())
    assert "mentoring_menteepreference_avoid" not in tables and "mentoring_application_avoid" not in tables


@pytest.mark.django_db
def test_the_solver_still_keeps_a_student_from_the_mentor_they_avoid(pair_world):
    cycle = pair_world["cycle"]
    MentorPair.objects.filter(pk=pair_world["pair"].pk).update(published_at=None)
    Mentee.objects.all().delete()
    other = MentorPair.objects.create(
        cycle=cycle,
        third_year=MembershipFactory(program=cycle.program, role=Role.PEER_MENTOR).user,
        fourth_year=MembershipFactory(program=cycle.program, role=Role.PEER_MENTOR).user,
        faculty_mentor=pair_world["faculty"],
    )
    students = [_first_year(cycle.program) for _ in range(4)]
    for student in students:
        mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=pair_world["third"].email)
    services.cohorts_assign(cycle=cycle)
    assert set(Mentee.objects.filter(user__in=students).values_list("pair_id", flat=True)) == {other.pk}


@pytest.mark.django_db
def test_the_applicants_avoid_is_still_a_conflict_for_the_pairing(pair_world):
    cycle = pair_world["cycle"]
    third, fourth = pair_world["third"], pair_world["fourth"]
    MentorPair.objects.all().delete()
    wary = applied(cycle, third, year=3, status="selected")
    wary.avoid_set([fourth])
    wary.save()
    applied(cycle, fourth, year=4, status="selected")
    [proposed], _ = services.pairing_propose(cycle=cycle)
    assert CONFLICT in proposed.reasons


@pytest.mark.django_db
def test_coordinators_read_the_names_on_the_wishs_page_only_and_each_reading_is_logged(client, pair_world):
    cycle = pair_world["cycle"]
    avoided = _avoided(cycle.program)
    student = _first_year(cycle.program)
    wish = mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=avoided.email)
    client.force_login(pair_world["coordinator"])

    listing = client.get(reverse("admin:mentoring_menteepreference_changelist")).content.decode()
    assert student.get_full_name() in listing and "Quinn Avoidable" not in listing
    assert "1 (names on its page)" in listing
    page = client.get(reverse("admin:mentoring_menteepreference_change", args=[wish.pk]))
    assert page.status_code == 200 and "Quinn Avoidable" in page.content.decode()
    read = AccessLog.objects.using("audit").get(object_type="mentoring.menteepreference")
    assert (read.actor_id, read.object_id, read.allowed) == (pair_world["coordinator"].pk, str(wish.pk), True)


@pytest.mark.django_db
def test_the_application_admin_shows_the_people_to_avoid_logs_it_and_still_saves(client, pair_world):
    cycle = pair_world["cycle"]
    avoided = _avoided(cycle.program)
    application = applied(cycle, pair_world["third"], year=3, status="submitted")
    application.avoid_set([avoided])
    application.save()
    client.force_login(pair_world["coordinator"])
    url = reverse("admin:mentoring_application_change", args=[application.pk])

    page = client.get(url)
    assert page.status_code == 200 and "Quinn Avoidable" in page.content.decode()
    assert AccessLog.objects.using("audit").filter(object_type="mentoring.application").count() == 1
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "cycle": cycle.pk,
            "applicant": pair_world["third"].pk,
            "status": "waitlisted",
            "interview-TOTAL_FORMS": "0",
            "interview-INITIAL_FORMS": "0",
        }
    )
    refused = client.post(url, {**data, "entering_year": "9"})  # the page again, with its error and the names
    assert refused.status_code == 200 and "Quinn Avoidable" in refused.content.decode()
    assert AccessLog.objects.using("audit").filter(object_type="mentoring.application").count() == 2
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    application.refresh_from_db()
    assert application.status == "waitlisted" and application.avoided_ids == {AVOIDED_PK}


@pytest.mark.django_db
def test_reencrypt_rewrites_the_avoid_lists_too(pair_world):
    cycle = pair_world["cycle"]
    avoided = _avoided(cycle.program)
    wish = mentee_preference_save(
        cycle=cycle, user=_first_year(cycle.program), preferred_mentor="", avoid=avoided.email
    )
    before = _raw(MenteePreference._meta.db_table, wish.pk)
    counts = crypto.data_reencrypt()
    assert counts["mentoring.MenteePreference"] == 1 and "mentoring.Application" in counts
    assert _raw(MenteePreference._meta.db_table, wish.pk) != before
    assert MenteePreference.objects.get(pk=wish.pk).avoided_ids == {AVOIDED_PK}


def _migrate(target) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_the_plain_lists_over_and_back(program):
    avoided = _avoided(program)
    student = _first_year(program)
    try:
        old = _migrate(BEFORE)
        cycle = old.get_model("mentoring", "MentoringCycle").objects.create(
            program_id=program.pk, name="2025-2026", starts_on="2025-07-01", ends_on="2026-06-30"
        )
        wish = old.get_model("mentoring", "MenteePreference").objects.create(cycle=cycle, user_id=student.pk)
        wish.avoid.set([avoided.pk])
        application = old.get_model("mentoring", "Application").objects.create(
            cycle=cycle, applicant_id=student.pk, entering_year=3, motivation="I care"
        )
        application.avoid.set([avoided.pk])
        plain = old.get_model("mentoring", "Application").objects.create(
            cycle=cycle, applicant_id=avoided.pk, entering_year=4, motivation="Me too"
        )

        _migrate(AFTER)
        assert MenteePreference.objects.get(pk=wish.pk).avoided_ids == {AVOIDED_PK}
        assert Application.objects.get(pk=application.pk).avoided_ids == {AVOIDED_PK}
        assert Application.objects.get(pk=plain.pk).avoid_ids is None
        assert str(AVOIDED_PK) not in _raw(MenteePreference._meta.db_table, wish.pk)

        back = _migrate(BEFORE)
        again = back.get_model("mentoring", "MenteePreference").objects.get(pk=wish.pk)
        assert list(again.avoid.values_list("pk", flat=True)) == [AVOIDED_PK]
        restored = back.get_model("mentoring", "Application").objects.get(pk=application.pk)
        assert list(restored.avoid.values_list("pk", flat=True)) == [AVOIDED_PK]
    finally:
        _migrate(AFTER)
