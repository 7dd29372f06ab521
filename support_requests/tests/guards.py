"""Peer support's guards; `make guards` removes each and expects its tests to fail."""

from peers.testing.guard import Guard

GUARDS = (
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
        "support: without a lead, the office is told a request is due",
        "support_requests/notify.py",
        "            drafts += _no_lead_drafts(request, kind, office[request.program.institution_id]"
        ", count, **extra)\n",
        "",
        (
            "support_requests/tests/test_never_dropped.py",
            "support_requests/tests/test_escalation_queries.py::test_without_a_lead_the_office_is_told_in_a_fixed_number_of_queries",
        ),
    ),
    Guard(
        "support: without a lead, the office is told a request is overdue",
        "support_requests/notify.py",
        '            drafts += _no_lead_drafts(request, "support_overdue", office[request.program.institution_id])\n',
        "",
        (
            "support_requests/tests/test_never_dropped.py",
            "support_requests/tests/test_escalation_queries.py::test_without_a_lead_the_office_is_told_in_a_fixed_number_of_queries",
        ),
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
        "support: an intake that cannot be saved keeps the crisis resources",
        "support_requests/views.py",
        "        return _not_saved(request, screening, details, program)\n",
        "        raise\n",
        ("support_requests/tests/test_intake_unavailable.py",),
    ),
    Guard(
        "support figures: a target line never hides a total the report shows",
        "support_requests/figures.py",
        "    if line.total != published_total:",
        "    if False:",
        ("support_requests/tests/test_figures.py",),
    ),
    Guard(
        "support: the recovery sweep claims each lost-link post",
        "support_requests/services/recovery.py",
        "                LinkRecovery.objects.select_for_update(skip_locked=True)\n",
        "                LinkRecovery.objects\n",
        ("support_requests/tests/test_recovery.py::test_two_recovery_sweeps_at_once_look_at_each_post_once",),
    ),
    Guard(
        "support: lost-link posts are limited per address",
        "support_requests/intake_guard.py",
        "        return cache.incr(key) > RECOVERIES_PER_HOUR\n",
        "        return False\n",
        (
            "support_requests/tests/test_recovery.py::test_a_bot_posting_the_form_100_times_saves_five_and_is_then_refused",
        ),
    ),
    Guard(
        "support: a new status link only for the contact left",
        "support_requests/services/recovery.py",
        "    return request if given and hmac.compare_digest(given.encode(), kept.encode()) else None\n",
        "    return request\n",
        ("support_requests/tests/test_recovery.py::test_only_a_match_gets_a_new_link_and_the_old_one_stops_working",),
    ),
    Guard(
        "support: one new status link per request an hour",
        "support_requests/services/recovery.py",
        "    if not _first_this_hour(request):\n",
        "    if False:\n",
        ("support_requests/tests/test_recovery.py::test_a_match_posted_again_and_again_sends_one_new_link_an_hour",),
    ),
    Guard(
        "support: a supporter only offered a request is not told of the requester's messages",
        "support_requests/notify.py",
        "    if request.assigned_to is not None and request.accepted_at is not None:\n",
        "    if request.assigned_to is not None:\n",
        (
            "support_requests/tests/test_requester.py::test_a_supporter_only_offered_the_request_never_reads_the_message",
        ),
    ),
    Guard(
        "support: only the requester opens their request from My requests",
        "support_requests/access.py",
        "    _require(own)\n",
        "",
        ("support_requests/tests/test_requester.py::test_my_requests_lists_only_my_own_in_a_fixed_number_of_queries",),
    ),
    Guard(
        "support: feedback is given once per request",
        "support_requests/services/requester.py",
        "            pk=request.pk, status=SupportRequest.Status.CLOSED, feedback_given=False\n",
        "            pk=request.pk, status=SupportRequest.Status.CLOSED\n",
        (
            "support_requests/tests/test_requester.py::test_feedback_is_given_once_after_closing_and_kept_apart_from_the_request",
        ),
    ),
    Guard(
        "support: withdrawing asks for a confirmation",
        "support_requests/views_requester.py",
        '    if action == "withdraw" and request.POST.get("confirm") != "1":\n',
        "    if False:\n",
        (
            "support_requests/tests/test_requester.py::test_withdrawing_asks_first_then_closes_and_tells_the_supporter_and_the_lead",
        ),
    ),
    Guard(
        "support: a supporter of the requester's department is never suggested or offered",
        "support_requests/selectors.py",
        "        if shares_department(profile, request):\n            continue\n",
        "",
        ("support_requests/tests/test_departments.py", "support_requests/tests/test_services.py"),
    ),
    Guard(
        "support: a request's pages show only its institution's resources",
        "support_requests/resources.py",
        "    institutions = [institution] if institution else institutions_for(request)\n",
        "    institutions = institutions_for(request)\n",
        (
            "support_requests/tests/test_resources.py::test_the_program_chosen_on_the_form_decides_the_resources_from_then_on",
        ),
    ),
    Guard(
        "support: the office page counts support only for closed periods",
        "support_requests/figures_office.py",
        "    closed = [p for p in programs if period.is_closed(p.time_zone)]\n",
        "    closed = list(programs)\n",
        ("support_requests/tests/test_figures_office.py::test_nothing_shows_before_the_period_has_closed",),
    ),
    Guard(
        "support: the no-thanks link is kept only as its hash",
        "support_requests/services/outreach.py",
        "message_sent_at=timezone.now(), decline_token_hash=status_token_hash(token)",
        "message_sent_at=timezone.now(), decline_token_hash=token",
        (
            "support_requests/tests/test_outreach.py::test_the_message_goes_to_the_contact_with_a_link_whose_token_is_kept_only_hashed",
        ),
    ),
    Guard(
        "support: guessing no-thanks links is rate limited",
        "support_requests/access_outreach.py",
        '        private_key("support-no-thanks-unknown", address), UNKNOWN_TOKENS_PER_HOUR, http_request\n'
        "    ):\n        raise TooManyAttempts\n",
        '        private_key("support-no-thanks-unknown", address), UNKNOWN_TOKENS_PER_HOUR, http_request\n'
        "    ):\n        pass\n",
        ("support_requests/tests/test_outreach.py::test_a_wrong_no_thanks_link_is_404_and_guessing_is_rate_limited",),
    ),
    Guard(
        "support: an outreach's outcome is recorded once",
        "support_requests/services/outreach.py",
        'Outreach.objects.filter(pk=outreach.pk, outcome="").update(outcome=outcome',
        "Outreach.objects.filter(pk=outreach.pk).update(outcome=outcome",
        (
            "support_requests/tests/test_outreach.py::test_the_outcome_is_recorded_once",
            "support_requests/tests/test_outreach.py::test_two_outcomes_recorded_at_once_keep_exactly_one",
        ),
    ),
    Guard(
        "support: a second no-thanks click changes nothing",
        "support_requests/services/outreach.py",
        "Outreach.objects.filter(pk=outreach.pk, declined_at=None).update(declined_at=now)",
        "Outreach.objects.filter(pk=outreach.pk).update(declined_at=now)",
        (
            "support_requests/tests/test_outreach.py::"
            "test_the_person_declines_with_one_press_and_a_second_press_changes_nothing",
        ),
    ),
    Guard(
        "support: only the accepted supporter and leads work an outreach",
        "support_requests/views_outreach.py",
        "    support_request = access.request_to_work_or_404(request, pk)",
        "    support_request = access.SupportRequest.objects.get(pk=pk)",
        (
            "support_requests/tests/test_outreach.py::test_nobody_but_the_lead_and_the_supporter_reads_the_name_or_records_the_outcome",
        ),
    ),
    Guard(
        "support: a paused request is not escalated",
        "support_requests/services/escalation.py",
        "                paused_at__isnull=True,  # waiting on the requester: its clock stands still\n",
        "",
        (
            "support_requests/tests/test_clock.py::test_a_paused_request_is_not_escalated_and_the_paused_time_does_not_count",
            "support_requests/tests/test_clock.py::test_asked_to_be_contacted_later_the_clock_starts_again_at_that_time",
        ),
    ),
    Guard(
        "support: the resume sweep claims each paused request",
        "support_requests/services/clock.py",
        '                SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))\n',
        "                SupportRequest.objects\n",
        ("support_requests/tests/test_sweep_claims.py::test_two_resume_sweeps_at_once_start_a_paused_clock_once",),
    ),
    Guard(
        "support: the handover sweep claims each away period",
        "support_requests/services/handover.py",
        '        aways = SupporterAway.objects.select_for_update(skip_locked=True, of=("self",))\n',
        "        aways = SupporterAway.objects\n",
        ("support_requests/tests/test_handover.py::test_two_handover_sweeps_at_once_hand_over_once",),
    ),
    Guard(
        "support: a colleague asks for at most ten people a day",
        "support_requests/services/outreach.py",
        "            _referral_limit_check(asked_by)\n",
        "            pass\n",
        (
            "support_requests/tests/test_outreach.py::"
            "test_one_colleague_asks_for_at_most_ten_people_a_day_and_the_eleventh_is_kept_on_the_page",
        ),
    ),
)
