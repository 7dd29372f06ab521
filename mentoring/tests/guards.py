"""Mentoring's guards; `make guards` removes each and expects its tests to fail."""

from peers.testing.guard import Guard

GUARDS = (
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
        "mentoring: the place-offer sweep claims each expired offer",
        "mentoring/services/applications.py",
        "                .filter(pk=due.pk, status=Application.Status.OFFERED, offer_expires_at__lte=timezone.now())\n",
        "                .filter(pk=due.pk)\n",
        ("mentoring/tests/test_place_offers.py",),
    ),
    Guard(
        "mentoring: an open offer holds its place",
        "mentoring/models/applications.py",
        "        return self.filter(status__in=(Application.Status.SELECTED, Application.Status.OFFERED))\n",
        "        return self.filter(status=Application.Status.SELECTED)\n",
        ("mentoring/tests/test_place_offers.py",),
    ),
)
