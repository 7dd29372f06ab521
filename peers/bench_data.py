"""The benchmark's large institution: people, programs and notifications (the core's part).

`manage.py bench_data --scale N` grows the demo data into a large institution with bulk
inserts (scale 1.0: 20,000 trainees in 40 programs, 31,000 sessions, 395,000 bookings,
1,000,000 notifications, 200,000 mentoring contacts, 50,000 support requests). The core
builds the programs and the people, then each app's `<app>/bench_data.py` adds its rows
(`grow(ctx)`), found by module name so the core imports no app. Everything comes from one
seeded `random.Random`: the same seed and scale give the same rows.
"""

import datetime
import importlib
import importlib.util
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from peers.models import Institution, Membership, Notification, ProgramKind, Role, TrainingProgram, User

# What scale 1.0 means.
TARGETS = {
    "programs": 40,
    "trainees": 20_000,
    "sessions": 31_000,
    "bookings": 395_000,
    "notifications": 1_000_000,
    "mentoring_contacts": 200_000,
    "support_requests": 50_000,
}
DEMO_INSTITUTION = "Lakeshore University Faculty of Medicine"
EMAIL_DOMAIN = "bench.lakeshore-med.example"
CHUNK = 5_000
# Share of the notifications still waiting: what the delivery sweep finds due.
NOTIFICATIONS_DUE = 0.0005


@dataclass
class Context:
    """What the builders share: the plan, the random source and what was built so far."""

    scale: float
    rng: random.Random
    now: datetime.datetime
    programs: list[TrainingProgram] = field(default_factory=list)
    trainees: dict[int, list[int]] = field(default_factory=dict)  # program id -> user ids
    faculty: dict[int, list[int]] = field(default_factory=dict)
    built: dict[str, int] = field(default_factory=dict)

    def target(self, name: str) -> int:
        return max(1, round(TARGETS[name] * self.scale))

    def share(self, name: str, index: int) -> int:
        """Program `index`'s part of a target, spread so the parts add up exactly."""
        total, count = self.target(name), len(self.programs)
        return total // count + (1 if index < total % count else 0)

    def count(self, name: str, added: int) -> None:
        self.built[name] = self.built.get(name, 0) + added


def bulk(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """Insert in chunks of CHUNK without keeping every row in memory."""
    made, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            made += len(model.objects.bulk_create(chunk))
            chunk = []
    if chunk:
        made += len(model.objects.bulk_create(chunk))
    return made


def build(*, scale: float, seed: int = 2026, say=print) -> dict[str, int]:
    """Build the whole data set; return how many rows of each kind were added."""
    ctx = Context(scale=scale, rng=random.Random(seed), now=timezone.now())
    for module in builders():
        before = dict(ctx.built)
        module.grow(ctx)
        added = {name: made - before.get(name, 0) for name, made in ctx.built.items() if made != before.get(name)}
        say(f"  {module.__name__}: {', '.join(f'{name} {made:,}' for name, made in added.items())}")
    return ctx.built


def builders() -> list:
    """This module first, then each installed app's `bench_data` module, in app order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.bench_data"
        if config.name != "peers" and importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return [importlib.import_module(__name__), *found]


def already_built() -> bool:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()


def grow(ctx: Context) -> None:
    institution = Institution.objects.get(name=DEMO_INSTITUTION)
    if EMAIL_DOMAIN not in institution.allowed_email_domains:
        institution.allowed_email_domains = [*institution.allowed_email_domains, EMAIL_DOMAIN]
        institution.save(update_fields=["allowed_email_domains"])
    ctx.programs = _programs(ctx, institution)
    _people(ctx)
    ctx.count("notifications", bulk(Notification, _notifications(ctx)))


def _programs(ctx: Context, institution: Institution) -> list[TrainingProgram]:
    """The demo's programs first (so the demo accounts see the growth), then new ones,
    each made with create() so that the apps' per-program settings rows follow."""
    programs = list(TrainingProgram.objects.filter(institution=institution).order_by("pk"))
    for n in range(len(programs), max(ctx.target("programs"), len(programs))):
        kind = ProgramKind.MEDICAL_SCHOOL if n % 2 else ProgramKind.RESIDENCY
        programs.append(
            TrainingProgram.objects.create(institution=institution, name=f"Bench Program {n + 1:02d}", kind=kind)
        )
    ctx.count("programs", len(programs))
    return programs


def _people(ctx: Context) -> None:
    """Trainees (and a few faculty per program), with their memberships. The password is
    unusable: only the demo accounts sign in."""
    password, users, memberships = make_password(None), [], []
    for index, program in enumerate(ctx.programs):
        trainees, faculty = ctx.share("trainees", index), max(1, ctx.share("trainees", index) // 50)
        for n in range(trainees + faculty):
            role = Role.TRAINEE if n < trainees else Role.FACULTY_MENTOR
            email = f"p{index + 1}-{role}-{n}@{EMAIL_DOMAIN}"
            users.append(User(email=email, name=f"Bench {role.label} {index + 1}-{n}", password=password))
            memberships.append((program, role, n))
    made = User.objects.bulk_create(users, batch_size=CHUNK)
    rows = []
    for user, (program, role, n) in zip(made, memberships, strict=True):
        bucket = ctx.trainees if role == Role.TRAINEE else ctx.faculty
        bucket.setdefault(program.pk, []).append(user.pk)
        medical = program.kind == ProgramKind.MEDICAL_SCHOOL and role == Role.TRAINEE
        rows.append(
            Membership(
                user=user,
                program=program,
                role=role,
                class_year=1 + n % 4 if medical else None,
                pgy=1 + n % 5 if role == Role.TRAINEE and not medical else None,
            )
        )
    ctx.count("trainees", sum(len(v) for v in ctx.trainees.values()))
    ctx.count("memberships", bulk(Membership, rows))


def _notifications(ctx: Context) -> Iterable[Notification]:
    """Mostly sent and read over the past year; a few still due now."""
    people = [pk for ids in ctx.trainees.values() for pk in ids]
    total = ctx.target("notifications")
    due = max(1, round(total * NOTIFICATIONS_DUE))
    for n in range(total):
        when = ctx.now - datetime.timedelta(minutes=ctx.rng.randrange(1, 525_600))
        waiting = n < due
        yield Notification(
            recipient_id=people[ctx.rng.randrange(len(people))],
            kind="bench",
            dedupe_key=f"bench:{n}",
            subject=f"Bench notification {n}",
            body="A notification from the benchmark's data.\n",
            link="/",
            due_at=ctx.now - datetime.timedelta(minutes=1) if waiting else when,
            sent_at=None if waiting else when,
            read_at=None if waiting or n % 3 == 0 else when,
        )
