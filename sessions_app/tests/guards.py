"""The sessions app's guards; `make guards` removes each and expects its tests to fail."""

from peers.testing.guard import Guard

GUARDS = (
    Guard(
        "sessions: the booking's row lock",
        "sessions_app/services/booking.py",
        "        session = round_lock(session)[session.pk]\n        session_check_bookable(session=session)\n",
        "        session = Session.objects.get(pk=session.pk)\n        session_check_bookable(session=session)\n",
        (
            "sessions_app/tests/test_booking.py::test_a_booking_racing_the_sessions_cancellation_is_refused_not_confirmed",
        ),
    ),
    Guard(
        "sessions: the database refuses an overbooked session",
        "sessions_app/migrations/0001_initial.py",
        "condition=models.Q(('seats_taken__lte', models.F('capacity'))), name='session_never_overbooked'",
        "condition=models.Q(('seats_taken__gte', 0)), name='session_never_overbooked'",
        (
            "sessions_app/tests/test_booking.py::test_the_database_refuses_overbooking_even_without_the_lock",
            "sessions_app/tests/test_booking.py::test_without_the_lock_the_database_still_refuses_a_second_seat",
        ),
        fresh_schema=True,
    ),
    Guard(
        "sessions: a capacity change re-checks the seats under the row lock",
        "sessions_app/services/changes.py",
        "        _check_capacity(session=session, seats_taken=locked.seats_taken)\n",
        "",
        (
            "sessions_app/tests/test_admin_edits.py::test_a_booking_that_lands_while_the_capacity_is_lowered_keeps_its_seat",
            "sessions_app/tests/test_admin_edits.py::test_the_admin_says_so_when_a_booking_beats_the_capacity_change",
        ),
    ),
    Guard(
        "sessions: each sweep claims its sessions",
        "sessions_app/services/sweeps.py",
        '                Session.objects.select_for_update(skip_locked=True, of=("self",))\n'
        '                .select_related("program", "topic")\n',
        '                Session.objects.select_related("program", "topic")\n',
        ("sessions_app/tests/test_sweep_claims.py",),
    ),
    Guard(
        "sessions: a session is seen only by its program's members",
        "sessions_app/access.py",
        "    if session is None or session.program_id not in selectors.program_ids_for(user):\n",
        "    if session is None:\n",
        ("sessions_app/tests/test_access.py",),
    ),
    Guard(
        "sessions: a feedback link is its booker's alone",
        "sessions_app/access.py",
        "    if booking is None or booking.user_id != user.pk:\n",
        "    if booking is None:\n",
        ("sessions_app/tests/test_access.py",),
    ),
    Guard(
        "sessions: only a session's co-facilitators take attendance",
        "sessions_app/access.py",
        "    if not any(facilitation.user_id == user.pk for facilitation in session.facilitations.all()):\n",
        "    if False:\n",
        ("sessions_app/tests/test_access.py",),
    ),
    Guard(
        "sessions: privileged people are signed out after 30 minutes idle",
        "peers/middleware.py",
        "            if isinstance(last, int) and now - last > limit * 60:\n",
        "            if False:\n",
        ("peers/tests/test_session_expiry.py",),
    ),
)
