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
        "sessions: a group switch locks the round and the booking",
        "sessions_app/services/rounds.py",
        "        groups = round_lock(booking.session)\n"
        "        booking = Booking.objects.select_for_update().get(pk=booking.pk)\n",
        "        groups = {g.pk: g for g in Session.objects.filter(series=booking.session.series_id)}\n"
        "        booking = Booking.objects.get(pk=booking.pk)\n",
        ("sessions_app/tests/test_rounds.py::test_a_switch_racing_a_cancellation_of_the_same_booking_moves_nothing",),
    ),
    Guard(
        "sessions: a switch stays within its round",
        "sessions_app/services/rounds.py",
        "        if to.pk not in groups:\n",
        "        if False:\n",
        ("sessions_app/tests/test_rounds.py::test_one_cannot_switch_to_a_group_of_another_round",),
    ),
    Guard(
        "sessions: a seat in a round passes the trainee's other offers there on",
        "sessions_app/services/booking.py",
        "        offer.status = WaitlistEntry.Status.LEFT\n"
        '        offer.save(update_fields=["status"])\n'
        "        seat_release(session=offer.session)\n",
        "        pass\n",
        (
            "sessions_app/tests/test_rounds.py::"
            "test_a_trainee_booked_in_group_1_with_an_offer_in_group_2_releases_it_to_the_next_person",
        ),
    ),
    Guard(
        "sessions: a group booked from a round's page is one of its groups",
        "sessions_app/access.py",
        "    if group.round_key != session.round_key:\n",
        "    if False:\n",
        ("sessions_app/tests/test_round_views.py::test_a_group_of_another_round_cannot_be_booked_from_a_rounds_page",),
    ),
    Guard(
        "sessions: a series group's facilitators are chosen from the coordinator's programs",
        "sessions_app/admin.py",
        "                programs = programs.filter(program__in=programs_coordinated_by(request.user))\n",
        "                pass\n",
        (
            "sessions_app/tests/test_series.py::"
            "test_a_coordinator_sets_the_groups_on_the_series_page_choosing_only_their_facilitators",
        ),
    ),
    Guard(
        "sessions: privileged people are signed out after 30 minutes idle",
        "peers/middleware.py",
        "            if isinstance(last, int) and now - last > limit * 60:\n",
        "            if False:\n",
        ("peers/tests/test_session_expiry.py",),
    ),
)
