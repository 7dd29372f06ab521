"""The guards `make guards` removes one by one (peers/testing/guards.py): the core's here,
each app's in its tests/guards.py, so an app's guards live beside its tests."""

from mentoring.tests.guards import GUARDS as MENTORING
from peers.testing.guard import Guard
from sessions_app.tests.guards import GUARDS as SESSIONS
from support_requests.tests.guards import GUARDS as SUPPORT

CORE = (
    Guard(
        "admin: a related filter lists only what the scoped list holds",
        "peers/admin_scoping.py",
        "        rows = related._default_manager.filter(pk__in=present).select_related(*joined).order_by(*ordering)\n",
        "        rows = related._default_manager.select_related(*joined).order_by(*ordering)\n",
        ("sessions_app/tests/test_admin_queries.py",),
    ),
    Guard(
        "admin: a scope through a to-many relation lists each row once",
        "peers/admin_scoping.py",
        "    return scoped.distinct() if _crosses_to_many(queryset.model, program_path) else scoped\n",
        "    return scoped\n",
        ("peers/tests/test_admin_queries.py::test_a_person_in_two_of_the_coordinators_programs_is_listed_once",),
    ),
    Guard(
        "cache: a count locks its row",
        "peers/cache.py",
        'f"SELECT value, expires FROM {table} WHERE cache_key = %s FOR UPDATE",',
        'f"SELECT value, expires FROM {table} WHERE cache_key = %s",',
        ("peers/tests/test_cache.py::test_counts_made_at_the_same_time_are_each_counted",),
    ),
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
        "admin: select all past the count cap acts on nothing",
        "peers/admin_scoping.py",
        "        if across and CappedCountPaginator(queryset, 1).capped:\n",
        "        if False:\n",
        ("peers/tests/test_admin_queries.py::test_select_all_past_the_cap_acts_on_nothing_and_says_why",),
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
        "notifications: a batch insert skips a key another process created meanwhile",
        "peers/services/notifications.py",
        "        Notification.objects.bulk_create(rows, ignore_conflicts=True)\n",
        "        Notification.objects.bulk_create(rows)\n",
        (
            "peers/tests/test_notifications_create_many.py::"
            "test_a_batch_racing_another_creator_of_the_same_key_creates_it_once_without_failing",
        ),
    ),
    Guard(
        "notifications: a batch claim locks its rows",
        "peers/services/notifications.py",
        '            .select_for_update(skip_locked=True, of=("self",))\n',
        "",
        (
            "peers/tests/test_notifications.py::test_two_sweeps_at_the_same_time_send_each_notification_once",
            "peers/tests/test_notifications.py::test_rows_a_batch_is_still_claiming_are_not_claimed_again",
        ),
    ),
    Guard(
        "notifications: a claimed row is not due for anyone else",
        "peers/services/notifications.py",
        "        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))\n",
        "",
        ("peers/tests/test_notification_batches.py::test_a_row_claimed_by_a_batch_is_not_sent_by_its_own_task",),
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
        "errors: a database error raised in a middleware answers 503",
        "peers/unavailable.py",
        "        setattr(request, _MARK, True)\n",
        "        pass\n",
        ("peers/tests/test_unavailable.py",),
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
    Guard(
        "figures: coordinators see only their programs' figures",
        "peers/figures/access.py",
        '        raise Http404("Not a program whose figures you may see")\n',
        "        program = TrainingProgram.objects.get(pk=program_id)\n",
        ("peers/tests/test_figures.py::test_a_coordinator_sees_their_programs_figures_and_no_others",),
    ),
    Guard(
        "figures: the office page is for office administrators",
        "peers/figures/access.py",
        "    if not is_office_administrator(user):\n",
        "    if False:\n",
        ("peers/tests/test_figures.py::test_others_get_404",),
    ),
    Guard(
        "bench: the data builder writes only to a *_bench database",
        "peers/management/commands/bench_data.py",
        "        if not name.endswith(BENCH_DATABASE_SUFFIX):\n",
        "        if False:\n",
        ("peers/tests/test_bench_data.py::test_the_command_refuses_any_database_but_the_benchmarks",),
    ),
    Guard(
        "precompiled: a parameter derived from an argument or the clock is refused",
        "peers/precompiled.py",
        "            elif slot is None and _key(value) not in where_second and value == value_again:\n",
        "            elif slot is None:\n",
        ("peers/tests/test_precompiled.py",),
    ),
    Guard(
        "precompiled: each thread compiles its own",
        "peers/precompiled.py",
        "        self._local = threading.local()\n",
        '        self._local = type("Shared", (), {})()\n',
        ("peers/tests/test_precompiled.py",),
    ),
)

GUARDS = CORE + SESSIONS + MENTORING + SUPPORT

__all__ = ["GUARDS", "Guard"]
