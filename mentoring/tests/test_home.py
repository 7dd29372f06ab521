"""My PEERS for a peer mentor: a mentee's waiting contact with the time left to answer it."""

import datetime

import pytest
import time_machine

from mentoring import services

pytestmark = pytest.mark.django_db


def test_a_mentor_sees_the_time_left_to_answer_then_how_overdue_it_is(client, pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="Please call me")
    with time_machine.travel(contact.due_at - datetime.timedelta(hours=3, minutes=20), tick=False):
        client.force_login(pair_world["third"])
        before = client.get("/").content.decode()
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=45), tick=False):
        client.force_login(pair_world["third"])
        after = client.get("/").content.decode()
    assert "is waiting for your answer" in before and "answer by" in before and "3 h 20 min left" in before
    assert "overdue by 45 min" in after and "list-group-item-warning" in after
