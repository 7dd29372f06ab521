"""The guards `make guards` removes one by one (peers/testing/guards.py): each names the file,
the guard's exact text (once), the text without it, and the tests that must then fail."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Guard:
    name: str
    path: str
    guarded: str
    unguarded: str
    tests: tuple[str, ...]
    # A guard that lives in a migration (a CHECK, a trigger) needs a schema built anew:
    # its tests run with --create-db on a database of their own, so the everyday
    # --reuse-db test database never holds the weakened schema.
    fresh_schema: bool = False


GUARDS = (
    Guard(
        "admin: only declared lookups",
        "peers/admin_site.py",
        "    if issubclass(admin_class, StrictLookupsMixin):\n        return admin_class\n",
        "    return admin_class\n",
        ("peers/tests/test_admin_lookups.py",),
    ),
    Guard(
        "admin: coordinators see only their programs",
        "peers/admin_scoping.py",
        "        return scope_to_programs(queryset, self.program_path, programs_coordinated_by(request.user))\n",
        "        return queryset\n",
        ("peers/tests/test_admin.py",),
    ),
    Guard(
        "core: a notification opens only for its recipient",
        "peers/access.py",
        "    if notification.recipient_id != user.pk:\n        return False\n",
        "",
        ("peers/tests/test_access.py", "peers/tests/test_views.py::test_someone_elses_notification_is_404"),
    ),
    Guard(
        "grants: only office administrators reach a decision",
        "peers/access.py",
        '    if not is_office_administrator(user):\n        raise Http404("Not found")\n',
        "",
        ("peers/tests/test_access.py", "peers/tests/test_role_grants_admin.py"),
    ),
    Guard(
        "sessions: the booking's row lock",
        "sessions_app/services/booking.py",
        "        session = Session.objects.select_for_update().get(pk=session.pk)\n"
        "        session_check_bookable(session=session)\n",
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
        "mentoring: the escalation sweep claims each contact",
        "mentoring/services/contacts.py",
        '                Contact.objects.select_for_update(skip_locked=True, of=("self",))\n',
        "                Contact.objects\n",
        ("mentoring/tests/test_escalation_claims.py",),
    ),
    Guard(
        "mentoring: selection locks the cycle, so two runs fill the positions once",
        "mentoring/services/applications.py",
        "    MentoringCycle.objects.select_for_update().filter(pk=cycle.pk).first()\n",
        "",
        ("mentoring/tests/test_selection_rounds.py",),
    ),
    Guard(
        "mentoring: proposing again replaces only the draft pairs",
        "mentoring/services/cohorts.py",
        "        MentorPair.objects.filter(cycle=cycle, published_at__isnull=True).delete()\n",
        "        MentorPair.objects.filter(cycle=cycle).delete()\n",
        ("mentoring/tests/test_drafts.py",),
    ),
    Guard(
        "mentoring: no message goes through a draft pair",
        "mentoring/services/contacts.py",
        "    if pair.published_at is None:\n",
        "    if False:\n",
        ("mentoring/tests/test_drafts.py",),
    ),
    Guard(
        "support: the first-contact sweep claims each request",
        "support_requests/services/escalation.py",
        '            SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))\n',
        "            SupportRequest.objects\n",
        ("support_requests/tests/test_sweep_claims.py",),
    ),
    Guard(
        "support: the offer-expiry sweep claims each offer",
        "support_requests/services/offers.py",
        '                SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))\n',
        "                SupportRequest.objects\n",
        ("support_requests/tests/test_sweep_claims.py",),
    ),
    Guard(
        "support: the purge claims each request",
        "support_requests/services/purge.py",
        "SupportRequest.objects.filter(pk=request.pk, purged_at__isnull=True).update(",
        "SupportRequest.objects.filter(pk=request.pk).update(",
        ("support_requests/tests/test_sweep_claims.py",),
    ),
    Guard(
        "notifications: delivery locks each row",
        "peers/services/notifications.py",
        '            row = notifications_due().select_for_update(skip_locked=True).order_by("due_at", "pk").first()\n',
        '            row = notifications_due().order_by("due_at", "pk").first()\n',
        ("peers/tests/test_notifications.py::test_two_sweeps_at_the_same_time_send_each_notification_once",),
    ),
    Guard(
        "support: only the requester, the accepted supporter and leads read a request",
        "support_requests/access.py",
        "    if user.pk == request.requester_id or is_lead_for(user, request):\n",
        "    if True:\n",
        ("support_requests/tests/test_access.py",),
    ),
    Guard(
        "support: an offered supporter sees only the offer view",
        "support_requests/access.py",
        "            return OFFER\n",
        "            return FULL\n",
        ("support_requests/tests/test_access.py",),
    ),
    Guard(
        "support: only the offered supporter answers an offer",
        "support_requests/access.py",
        "    _require(request.assigned_to_id == http_request.user.pk)\n",
        "",
        ("support_requests/tests/test_access.py",),
    ),
    Guard(
        "support: only the accepted supporter and leads work a request",
        "support_requests/access.py",
        "    _require(is_working_supporter(user, request) or is_lead_for(user, request))\n",
        "",
        ("support_requests/tests/test_access.py",),
    ),
    Guard(
        "support: only leads offer a request to a supporter",
        "support_requests/access.py",
        "    _require(is_lead_for(http_request.user, request))\n",
        "",
        ("support_requests/tests/test_access.py",),
    ),
    Guard(
        "mentoring: no action on mentee data before the disclosure statement",
        "mentoring/access.py",
        "    if not disclosure_accepted(user=user, pair=pair):\n",
        "    if False:\n",
        ("mentoring/tests/test_services.py", "mentoring/tests/test_views.py"),
    ),
    Guard(
        "mentoring: only a pair's mentors reach its contacts",
        "mentoring/access.py",
        '    return peer_mentors | Q(**{f"{path}faculty_mentor": user})\n',
        "    return Q()\n",
        ("mentoring/tests/test_access.py",),
    ),
    Guard(
        "mentoring: nothing of a draft pair reaches its mentors or mentees",
        "mentoring/access.py",
        '    return Q(**{f"{path}published_at__isnull": False})\n',
        "    return Q()\n",
        ("mentoring/tests/test_drafts.py",),
    ),
    Guard(
        "mentoring: each read of a mentee's message is logged",
        "mentoring/access.py",
        '            access_log_write(request=request, action="message_view", obj=contact, allowed=True)\n',
        "            pass\n",
        ("mentoring/tests/test_access.py",),
    ),
    Guard(
        "mentoring: only the mentors on duty mark a contact answered",
        "mentoring/services/contacts.py",
        "    if by.pk not in {person.pk for person in on_duty(pair=pair, day=timezone.localdate())}:\n",
        "    if False:\n",
        ("mentoring/tests/test_services.py",),
    ),
    Guard(
        "suppression: no hidden cell can be narrowed (the linear-programming check)",
        "peers/suppression.py",
        "            if high.status == 0 and -high.fun - low.fun < MIN_RANGE - 1e-6:\n",
        "            if False:\n",
        ("peers/tests/test_suppression.py",),
    ),
    Guard(
        "suppression: only closed periods are published",
        "peers/services/published.py",
        "    if any(month_bounds(period, program.time_zone)[1] > now for period in missing):\n",
        "    if False:\n",
        ("support_requests/tests/test_reports.py",),
    ),
    Guard(
        "suppression: a published period is never recomputed",
        "peers/services/published.py",
        "    missing = [period for period in periods if period not in stored]\n",
        "    missing = list(periods)\n    PublishedTable.objects.filter(program=program, kind=kind).delete()\n",
        ("support_requests/tests/test_reports.py",),
    ),
    Guard(
        "grants: the proposer cannot approve",
        "peers/services/role_grants.py",
        "        if approver.pk == locked.proposed_by_id:\n",
        "        if False:\n",
        ("peers/tests/test_role_grants_services.py::test_one_administrator_cannot_propose_and_approve",),
    ),
    Guard(
        "grants: an approval locks the grant",
        "peers/services/role_grants.py",
        '        locked = RoleGrant.objects.select_for_update().select_related("user", "program", "proposed_by")'
        ".get(pk=grant.pk)\n",
        '        locked = RoleGrant.objects.select_related("user", "program", "proposed_by").get(pk=grant.pk)\n',
        ("peers/tests/test_role_grants_services.py::test_two_concurrent_approvals_make_exactly_one_membership",),
    ),
    Guard(
        "support: a doubled intake POST is claimed once",
        "support_requests/intake_guard.py",
        "        first = cache.add(key, _PENDING, timeout=CLAIM_SECONDS)\n",
        "        first = True\n",
        ("support_requests/tests/test_intake_limits.py",),
    ),
    Guard(
        "support: the status link is emailed once",
        "support_requests/intake_guard.py",
        '        return cache.add(private_key("support-link-sent", request_id), 1, timeout=LINK_SENT_SECONDS)\n',
        "        return True\n",
        ("support_requests/tests/test_pages.py::test_the_status_link_is_emailed_once_and_never_stored",),
    ),
    Guard(
        "support: a screened-out yes is never refused by the rate limit",
        "support_requests/views.py",
        "    if not any(answers.values()) and intake_guard.rate_limited(request):\n",
        "    if intake_guard.rate_limited(request):\n",
        (
            "support_requests/tests/test_pages.py::test_a_screened_out_yes_is_recorded_and_answered_even_over_the_rate_limit",
        ),
    ),
    Guard(
        "support: without a lead, the office is told",
        "support_requests/notify.py",
        "    _tell_office_without_lead(request, kind, declines, **context)\n",
        "",
        ("support_requests/tests/test_never_dropped.py",),
    ),
    Guard(
        "support: accepting requests needs someone to receive them",
        "support_requests/models.py",
        "        if self.accepts_requests and not accepted_before and not someone_receives(self.program):\n",
        "        if False:\n",
        ("support_requests/tests/test_receivers.py",),
    ),
    Guard(
        "support: /healthz fails while a program's requests would reach nobody",
        "support_requests/receivers.py",
        "    return ids, not ids\n",
        "    return ids, True\n",
        ("support_requests/tests/test_receivers.py",),
    ),
    Guard(
        "addresses: the client is N proxies from the right, not what it wrote",
        "peers/addresses.py",
        "    return _ip(entries[-count]) or remote\n",
        "    return _ip(entries[0]) or remote\n",
        ("peers/tests/test_addresses.py", "support_requests/tests/test_intake_limits.py"),
    ),
    Guard(
        "inputs: NUL bytes and control characters answer 400",
        "peers/middleware.py",
        '        if request.method == "POST" and request.content_type in _FORM_TYPES:\n',
        "        if False:\n",
        ("peers/tests/test_malformed_input.py::test_a_nul_byte_in_a_form_field_answers_400",),
    ),
    Guard(
        "sessions: privileged people are signed out after 30 minutes idle",
        "peers/middleware.py",
        "            if isinstance(last, int) and now - last > limit * 60:\n",
        "            if False:\n",
        ("peers/tests/test_session_expiry.py",),
    ),
    Guard(
        "support: status links are redacted in history",
        "peers/redaction.py",
        '        context["url"] = redact(context.get("url") or "")\n',
        "",
        ("support_requests/tests/test_status_token.py",),
    ),
    Guard(
        "support: status links are redacted in logs",
        "peers/redaction.py",
        "        if cleaned != message:\n",
        "        if False:\n",
        ("support_requests/tests/test_status_token.py",),
    ),
    Guard(
        "support: status-page guesses are limited",
        "support_requests/access.py",
        "    return count > limit\n",
        "    return False\n",
        ("support_requests/tests/test_status_token.py",),
    ),
    Guard(
        "errors: a database error raised in a middleware answers 503",
        "peers/unavailable.py",
        "        setattr(request, _MARK, True)\n",
        "        pass\n",
        ("peers/tests/test_unavailable.py",),
    ),
    Guard(
        "support: an intake that cannot be saved keeps the crisis resources",
        "support_requests/views.py",
        "        return _not_saved(request, screening, details)\n",
        "        raise\n",
        ("support_requests/tests/test_intake_unavailable.py",),
    ),
    Guard(
        "demo mail: the viewer does not exist with debug off",
        "peers/mail_views.py",
        "    if not settings.DEBUG or not (settings.PEERS_DEMO or request.user.is_staff):\n",
        "    if not (settings.PEERS_DEMO or request.user.is_staff):\n",
        ("peers/tests/test_mail.py::test_with_debug_off_the_viewer_does_not_exist_even_for_a_demo",),
    ),
    Guard(
        "demo mail: outside a demo only staff read the emails",
        "peers/mail_views.py",
        "    if not settings.DEBUG or not (settings.PEERS_DEMO or request.user.is_staff):\n",
        "    if not settings.DEBUG:\n",
        ("peers/tests/test_mail.py::test_outside_a_demo_only_staff_may_read_the_emails",),
    ),
    Guard(
        "demo mail: an email id names a file in the mail folder only",
        "peers/mail.py",
        "    if not MESSAGE_ID.match(message_id):\n        return None\n",
        "",
        ("peers/tests/test_mail.py::test_an_address_outside_the_mail_folder_is_not_found",),
    ),
    Guard(
        "demo mail: private status links are redacted before they are stored",
        "peers/mail.py",
        "                _redact(message)\n",
        "",
        ("peers/tests/test_mail.py::test_a_private_status_link_never_reaches_the_demo_mail_folder_or_the_console",),
    ),
)
