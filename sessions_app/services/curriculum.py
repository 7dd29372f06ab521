"""The curriculum: saving a topic keeps its versions."""

import datetime

from django.db import transaction
from django.utils import timezone

from sessions_app.models import Topic, TopicVersion

SINCE_ALWAYS = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # as migration 0008


def topic_save(*, topic: Topic, changed: list[str]) -> Topic:
    """Save a topic from the admin, keeping its versions.

    1. A new topic is saved with its version 1.
    2. An edit of its content (title, summary, values, guide, links, length) locks the
       topic, makes the next version in force from now, and saves; sessions already
       started keep the version they used, upcoming ones show the new one.
    3. An adaptation records the version of the core topic it adapts, when it is made or
       pointed at another core topic.
    """
    with transaction.atomic():
        if topic.adapted_from_id and (topic.pk is None or "adapted_from" in changed):
            topic.adapted_from_version = topic_version_current(topic.adapted_from)
        if topic.pk is None:
            topic.version = 1
            topic.save()
            _snapshot(topic, since=SINCE_ALWAYS)
            return topic
        if not set(changed) & set(TopicVersion.CONTENT):
            topic.save()
            return topic
        before = Topic.objects.select_for_update().get(pk=topic.pk)
        topic_version_current(before)  # a topic made before versions were kept: keep what it said
        topic.version = before.version + 1
        topic.save()
        _snapshot(topic, since=timezone.now())
    return topic


def topic_version_current(topic: Topic) -> TopicVersion:
    """The topic's current version, made from the topic itself if it has none yet."""
    version = topic.versions.filter(number=topic.version).first()
    return version or _snapshot(topic, since=SINCE_ALWAYS)


def _snapshot(topic: Topic, *, since: datetime.datetime) -> TopicVersion:
    content = {name: getattr(topic, name) for name in TopicVersion.CONTENT}
    return TopicVersion.objects.create(topic=topic, number=topic.version, valid_from=since, **content)
