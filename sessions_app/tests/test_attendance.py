"""Attendance and anonymous feedback after a session (sessions_app/services/attendance.py)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from sessions_app import services

pytestmark = pytest.mark.django_db


def test_feedback_only_for_a_kept_seat(session, trainee):
    booking = services.booking_create(session=session, user=trainee)
    services.booking_cancel(booking=booking)
    with time_machine.travel(session.ends_at + datetime.timedelta(hours=1)):
        with pytest.raises(ValidationError, match="sessions you attended"):
            services.feedback_submit(booking=booking, rating=5, comment="")
