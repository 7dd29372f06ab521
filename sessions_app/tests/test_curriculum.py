"""Topics keep versions; the four core values are on topic and session pages; the
database holds a session's format."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from peers.tests.factories import ProgramFactory
from sessions_app import services
from sessions_app.models import Session, SessionSeries, Topic
from sessions_app.tests.factories import SeriesFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db

VALUES = ("Practice enhancement", "Engagement", "Resilience", "Support")


def _edit(topic: Topic, **changes) -> Topic:
    topic = Topic.objects.get(pk=topic.pk)
    for name, value in changes.items():
        setattr(topic, name, value)
    return services.topic_save(topic=topic, changed=list(changes))


def test_editing_a_topic_makes_a_new_version_and_past_sessions_keep_theirs(client, program, trainee):
    topic = TopicFactory(program=program, summary="Noticing what went well.")
    past = SessionFactory(program=program, topic=topic, starts_at=timezone.now() - datetime.timedelta(days=2))
    upcoming = SessionFactory(program=program, topic=topic)
    _edit(topic, summary="Three good things, written down.")
    topic.refresh_from_db()
    assert topic.version == 2 and list(topic.versions.values_list("number", flat=True)) == [2, 1]
    client.force_login(trainee)
    past_page = client.get(reverse("sessions:detail", args=[past.pk])).content.decode()
    assert "Noticing what went well." in past_page and "Three good things" not in past_page
    assert "Three good things" in client.get(reverse("sessions:detail", args=[upcoming.pk])).content.decode()
    _edit(topic, is_active=False)  # not content: no new version
    assert Topic.objects.get(pk=topic.pk).version == 2


def test_an_adaptation_records_the_core_version_it_adapts(client, program, trainee):
    core = services.topic_save(topic=Topic(title="Gratitude", summary="Core.", core_values=["support"]), changed=[])
    adaptation = services.topic_save(
        topic=Topic(program=program, adapted_from=core, title="Gratitude on the wards", summary="Ours."), changed=[]
    )
    assert adaptation.adapted_from_version.number == 1
    _edit(core, summary="Core, revised.")
    adaptation.refresh_from_db()
    assert adaptation.adapted_from_version.number == 1 and adaptation.adapted_from_version.summary == "Core."
    client.force_login(trainee)
    page = client.get(reverse("sessions:topic", args=[adaptation.pk])).content.decode()
    assert "version 1 (the core topic is now at version 2)" in page


def test_the_four_core_values_are_on_the_topic_and_the_session_page(client, program, trainee):
    topic = TopicFactory(program=program, core_values=["resilience", "engagement"])
    session = SessionFactory(program=program, topic=topic)
    client.force_login(trainee)
    for page in (
        client.get(reverse("sessions:topic", args=[topic.pk])),
        client.get(reverse("sessions:detail", args=[session.pk])),
    ):
        text = page.content.decode()
        assert all(value in text for value in VALUES)
        assert text.count("(this topic)") == 2


def test_a_topic_of_another_program_is_404(client, trainee):
    other = TopicFactory(program=ProgramFactory(name="Elsewhere"))
    core = TopicFactory(program=None)
    client.force_login(trainee)
    assert client.get(reverse("sessions:topic", args=[other.pk])).status_code == 404
    assert client.get(reverse("sessions:topic", args=[core.pk])).status_code == 200


def test_editing_a_topic_in_the_admin_makes_a_new_version(client, coordinator, program):
    topic = TopicFactory(program=program, title="Savouring", summary="Old words.")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:sessions_app_topic_change", args=[topic.pk]),
        {
            "program": program.pk,
            "title": "Savouring",
            "summary": "New words.",
            "core_values": "resilience,support",
            "default_minutes": "60",
            "is_active": "on",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    topic.refresh_from_db()
    assert topic.version == 2
    assert [v.summary for v in topic.versions.order_by("number")] == ["Old words.", "New words."]
    page = client.get(reverse("admin:sessions_app_topic_change", args=[topic.pk])).content.decode()
    assert "Topic versions" in page  # the past versions, read-only, on the topic page


@pytest.mark.parametrize("model", [Session, SessionSeries])
def test_the_database_refuses_a_format_that_is_not_virtual_in_person_or_hybrid(program, model):
    row = SessionFactory(program=program) if model is Session else SeriesFactory(program=program)
    with pytest.raises(IntegrityError, match="format_is_known"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {model._meta.db_table} SET modality = 'zoom' WHERE id = %s", [row.pk])


def test_the_database_refuses_two_versions_with_one_number(program):
    topic = services.topic_save(topic=Topic(program=program, title="Awe", summary="Wonder."), changed=[])
    with pytest.raises(IntegrityError, match="topic_version_number_unique"), transaction.atomic():
        topic.versions.create(number=1, valid_from=timezone.now(), title="Awe", summary="Again.")
