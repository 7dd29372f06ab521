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
        "                Session.objects.select_for_update(skip_locked=True)\n",
        "                Session.objects\n",
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
    Guard(
        "sessions: one calendar entry per person's place, so SEQUENCE only grows",
        "sessions_app/migrations/0006_calendar_entries.py",
        "models.UniqueConstraint(fields=('user', 'session', 'role'), name='calendar_entry_once_per_place')",
        "models.CheckConstraint(condition=models.Q(('revision__gte', 0)), name='calendar_entry_once_per_place')",
        (
            "sessions_app/tests/test_calendar_apps.py::test_a_rebooking_after_a_cancellation_has_a_higher_sequence_and_the_same_uid",
        ),
        fresh_schema=True,
    ),
    Guard(
        "sessions: a session's calendar file is for its booked and co-facilitators only",
        "sessions_app/access.py",
        '    raise Http404("No place of yours in this session")\n',
        "    return CalendarEntry.Role.BOOKED\n",
        ("sessions_app/tests/test_calendar_apps.py::test_add_to_calendar_is_on_the_session_page_for_the_booked_only",),
    ),
    Guard(
        "sessions: the database holds a session's format",
        "sessions_app/migrations/0007_format_check.py",
        'condition=models.Q(("modality__in", ["virtual", "in_person", "hybrid"])),\n'
        '                name="session_format_is_known",',
        'condition=models.Q(("modality__isnull", False)),\n                name="session_format_is_known",',
        (
            "sessions_app/tests/test_curriculum.py::"
            "test_the_database_refuses_a_format_that_is_not_virtual_in_person_or_hybrid[Session]",
        ),
        fresh_schema=True,
    ),
    Guard(
        "sessions: the database holds a series' format",
        "sessions_app/migrations/0007_format_check.py",
        'condition=models.Q(("modality__in", ["virtual", "in_person", "hybrid"])),\n'
        '                name="series_format_is_known",',
        'condition=models.Q(("modality__isnull", False)),\n                name="series_format_is_known",',
        (
            "sessions_app/tests/test_curriculum.py::"
            "test_the_database_refuses_a_format_that_is_not_virtual_in_person_or_hybrid[SessionSeries]",
        ),
        fresh_schema=True,
    ),
    Guard(
        "sessions: one topic version per number",
        "sessions_app/migrations/0008_topic_versions.py",
        'constraint=models.UniqueConstraint(fields=("topic", "number"), name="topic_version_number_unique"),',
        'constraint=models.CheckConstraint(condition=models.Q(("number__gte", 0)), '
        'name="topic_version_number_unique"),',
        ("sessions_app/tests/test_curriculum.py::test_the_database_refuses_two_versions_with_one_number",),
        fresh_schema=True,
    ),
    Guard(
        "sessions: a program's topic is seen only by its program's people",
        "sessions_app/access.py",
        "    if topic is None or not programs or (topic.program_id is not None and topic.program_id not in "
        "programs):\n",
        "    if topic is None or not programs:\n",
        ("sessions_app/tests/test_curriculum.py::test_a_topic_of_another_program_is_404",),
    ),
    Guard(
        "sessions: a facilitator withdraws themselves only until the cut-off",
        "sessions_app/services/facilitation.py",
        "    if timezone.now() >= withdraw_closes_at(session):\n",
        "    if False:\n",
        (
            "sessions_app/tests/test_facilitation_changes.py::"
            "test_a_facilitator_withdraws_until_the_cutoff_then_is_asked_to_tell_the_coordinator",
        ),
    ),
    Guard(
        "sessions: the open slots leave out sessions at the same time as one the facilitator holds",
        "sessions_app/selectors.py",
        "        .exclude(Exists(busy))",
        "        .exclude(pk__in=[])",
        (
            "sessions_app/tests/test_coverage.py::"
            "test_the_open_slots_page_shows_only_sessions_the_facilitator_can_still_take",
        ),
    ),
    Guard(
        "sessions: the open slots need training current on the session's date",
        "sessions_app/selectors.py",
        "(Q(program__in=as_facilitator) & Exists(trained))",
        "(Q(program__in=as_facilitator))",
        (
            "sessions_app/tests/test_coverage.py::"
            "test_the_open_slots_page_shows_only_sessions_the_facilitator_can_still_take",
        ),
    ),
    Guard(
        "sessions: a series edit compares each session under its row lock, so one edit is told once",
        "sessions_app/services/series_sync.py",
        '        session = Session.objects.select_for_update().select_related("program").get(pk=pk)\n',
        '        session = Session.objects.select_related("program").get(pk=pk)\n',
        ("sessions_app/tests/test_series_sync.py::test_two_saves_of_one_edit_at_once_tell_each_person_once",),
    ),
    Guard(
        "sessions: a series edit never touches past sessions",
        "sessions_app/services/series_sync.py",
        "series=series, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()",
        "series=series, status=Session.Status.SCHEDULED",
        (
            "sessions_app/tests/test_series_sync.py::"
            "test_a_new_time_length_room_link_and_format_reach_future_sessions_only",
        ),
    ),
    Guard(
        "sessions: a series edit keeps what a coordinator changed on a session by hand",
        "sessions_app/services/series_sync.py",
        "        hand = set() if overwrite else set(session.changed_by_hand)\n",
        "        hand = set()\n",
        (
            "sessions_app/tests/test_series_sync.py::"
            "test_a_session_changed_by_hand_keeps_its_change_unless_the_coordinator_asks",
        ),
    ),
    Guard(
        "sessions: a series edit changes and tells only where a session differs",
        "sessions_app/services/series_sync.py",
        "        if not changes:\n            return\n",
        "",
        (
            "sessions_app/tests/test_series_sync.py::"
            "test_saving_again_or_without_a_change_tells_nobody_twice_and_changes_nothing",
        ),
    ),
    Guard(
        "sessions: the offer-expiry sweep locks the round before the offer, as accepting does",
        "sessions_app/services/waitlist.py",
        "            groups = rounds_lock([candidate.session for candidate in candidates])\n"
        "            entries = list(\n"
        "                WaitlistEntry.objects.select_for_update(skip_locked=True)\n"
        "                .filter(\n"
        "                    pk__in=[candidate.pk for candidate in candidates],\n"
        "                    status=WaitlistEntry.Status.OFFERED,\n"
        "                    offer_expires_at__lte=timezone.now(),\n"
        "                )\n"
        '                .order_by("offer_expires_at", "pk")\n'
        "            )\n",
        "            entries = list(\n"
        "                WaitlistEntry.objects.select_for_update(skip_locked=True)\n"
        "                .filter(\n"
        "                    pk__in=[candidate.pk for candidate in candidates],\n"
        "                    status=WaitlistEntry.Status.OFFERED,\n"
        "                    offer_expires_at__lte=timezone.now(),\n"
        "                )\n"
        '                .order_by("offer_expires_at", "pk")\n'
        "            )\n"
        "            groups = rounds_lock([candidate.session for candidate in candidates])\n",
        (
            "sessions_app/tests/test_waitlist.py::"
            "test_the_expiry_sweep_takes_the_round_before_the_offer_as_accepting_does",
        ),
    ),
    Guard(
        "sessions: a session's coordinator page is for its program's coordinators",
        "sessions_app/access.py",
        "    if session is None or not programs_coordinated_by(user).filter(pk=session.program_id).exists():\n",
        "    if session is None:\n",
        (
            "sessions_app/tests/test_coordinate.py::test_a_coordinator_of_another_program_gets_404",
            "sessions_app/tests/test_coordinate.py::"
            "test_a_coordinator_of_another_program_can_neither_move_nor_promote_nor_write",
        ),
    ),
    Guard(
        "sessions: a coordinator moves a booking only to a session of the same program",
        "sessions_app/access.py",
        "    to = Session.objects.filter(pk=to_id, program=session.program_id).first()\n",
        "    to = Session.objects.filter(pk=to_id).first()\n",
        ("sessions_app/tests/test_coordinate.py::test_a_booking_moves_only_to_a_session_of_the_same_program",),
    ),
    Guard(
        "sessions: a coordinator promotes only a place on this session's waitlist",
        "sessions_app/access.py",
        "    entry = WaitlistEntry.objects.filter(pk=entry_id, session=session, "
        "status__in=WaitlistEntry.OPEN).first()\n",
        "    entry = WaitlistEntry.objects.filter(pk=entry_id, status__in=WaitlistEntry.OPEN).first()\n",
        (
            "sessions_app/tests/test_coordinate.py::"
            "test_a_waitlist_place_of_another_session_cannot_be_promoted_through_this_page",
        ),
    ),
    Guard(
        "sessions: a coordinator's move takes both rounds' locks before it counts the seats",
        "sessions_app/services/coordinate.py",
        "        groups = _rounds_lock(booking.session, to)\n",
        "        groups = {s.pk: s for s in Session.objects.filter(pk__in=[booking.session_id, to.pk])}\n",
        (
            "sessions_app/tests/test_coordinate.py::"
            "test_a_move_waits_for_a_booking_holding_the_last_seat_and_refuses_it_in_the_coordinators_words",
        ),
    ),
    Guard(
        "sessions: a coordinator's message is sent once however often the form is submitted",
        "sessions_app/services/coordinate.py",
        '    digest = hashlib.sha256(f"{session.pk}\\n{token}\\n{subject}\\n{text}".encode()).hexdigest()[:32]\n',
        "    digest = timezone.now().isoformat()\n",  # a new key for every submit
        (
            "sessions_app/tests/test_coordinate.py::"
            "test_each_booked_trainee_gets_the_message_on_their_own_and_a_double_submit_sends_once",
        ),
    ),
    Guard(
        "sessions: a coordinator books in only the program's trainees",
        "sessions_app/access.py",
        "    if trainee is None or not holds_role(user=trainee, program_id=session.program_id, "
        "roles=(Role.TRAINEE,)):\n",
        "    if trainee is None:\n",
        ("sessions_app/tests/test_coordinate.py::test_only_the_programs_trainees_can_be_booked_in",),
    ),
    Guard(
        "sessions: the attendance-never-taken filter lists only held sessions with bookings",
        "sessions_app/admin.py",
        "starts_at__lt=timezone.now()).filter(Exists(booked))",
        "starts_at__lt=timezone.now() + datetime.timedelta(days=30))",
        (
            "sessions_app/tests/test_admin_queries.py::"
            "test_the_attendance_filter_lists_held_sessions_with_bookings_and_no_attendance",
        ),
    ),
)
