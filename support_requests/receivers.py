"""Who is told of a support request, so that nobody is ever dropped.

1. The program's active support leads (an active membership, an active account).
2. A program without one falls back to its coordinators (as it always did) and to its
   institution's office.

"The institution's office" is, in data, the office administrators: the active superusers
(`peers.services.role_grants.is_office_administrator`), the people who run the well-being
office and who alone can appoint a support lead. A superuser belongs to no institution, so
in PEERS one deployment serves one office and every institution's office is that same set;
`office_administrators` is the one place to change if offices are ever split.

The rule for configuring a program: a program that accepts support requests
(`SupportSettings.accepts_requests`, the programs listed on the request form) must have
someone to receive them, an active support lead or at least one office administrator.
Coordinators do not count: they may not read a request and may not appoint a lead. Setting a
program to accept requests (switching it on) while nobody would receive them is refused
(`SupportSettings.clean`, so on the program's admin page); a program that falls into that
state later (its last lead leaves, the office is emptied) is not locked against other edits,
and is shown by /healthz (`support_programs_nobody_receives`: the programs' ids) and on the
program's admin page ("who receives new requests")."""

from django.db.models import Exists, OuterRef, QuerySet

from peers.models import Institution, Membership, Role, TrainingProgram, User


def people_with_role(program: TrainingProgram, role: str) -> set[User]:
    memberships = Membership.objects.active().filter(program=program, role=role)
    return set(User.objects.filter(memberships__in=memberships, is_active=True))


def _office(institution: Institution) -> QuerySet[User]:
    """The institution's office (see the module's docstring: today, every office administrator)."""
    return User.objects.filter(is_active=True, is_superuser=True)


def office_administrators(institution: Institution) -> set[User]:
    return set(_office(institution))


def leads(program: TrainingProgram) -> set[User]:
    return people_with_role(program, Role.SUPPORT_LEAD)


def leads_and_coordinators_by_program(program_ids: set[int]) -> dict[int, tuple[set[User], set[User]]]:
    """Per program, (its leads, its coordinators) as `people_with_role` finds them, for
    many programs in one query; each person is one object however many programs they
    are in (so what is cached on them is read once)."""
    memberships = (
        Membership.objects.active()
        .filter(program__in=program_ids, role__in=(Role.SUPPORT_LEAD, Role.COORDINATOR), user__is_active=True)
        .select_related("user")
    )
    people: dict[int, User] = {}
    found: dict[int, tuple[set[User], set[User]]] = {pk: (set(), set()) for pk in program_ids}
    for membership in memberships:
        person = people.setdefault(membership.user_id, membership.user)
        found[membership.program_id][0 if membership.role == Role.SUPPORT_LEAD else 1].add(person)
    return found


def someone_receives(program: TrainingProgram) -> bool:
    """An active support lead, or an office to fall back to."""
    has_leads = program.pk is not None and bool(leads(program))  # a program being added has none
    return has_leads or _office(program.institution).exists()


def programs_nobody_receives() -> QuerySet[TrainingProgram]:
    """Programs that accept requests with neither an active support lead nor an office."""
    office = _office(OuterRef("institution")).values("pk")
    return programs_without_lead().exclude(Exists(office))


def programs_without_lead() -> QuerySet[TrainingProgram]:
    """Programs that accept requests with no active support lead: the office is told instead."""
    active_lead = Membership.objects.active().filter(
        program=OuterRef("pk"), role=Role.SUPPORT_LEAD, user__is_active=True
    )
    return TrainingProgram.objects.filter(support_settings__accepts_requests=True).exclude(Exists(active_lead))


def health_check() -> tuple[list[int], bool]:
    """For /healthz: the ids of programs whose requests would reach nobody (no names)."""
    ids = sorted(programs_nobody_receives().values_list("pk", flat=True))
    return ids, not ids
