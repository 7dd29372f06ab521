"""Where the apps plug into the core without the core importing them.

Each app registers, in its AppConfig.ready():
- sweeps: periodic functions (no arguments) that turn deadlines in PostgreSQL into
  notifications; `run_sweeps` and the beat task run all of them;
- todo providers: functions (user) -> list[TodoItem] for the "My PEERS" home page;
- nav providers: functions (user, roles) -> list[NavItem] for the navigation bar;
- demo seeders: functions (stdout) that add the app's demo data after the core's
  (`seed_demo`), idempotently;
- confidential notification kinds: prefixes of `Notification.kind` whose rows say
  something about a confidential room (that a request came in, and when). The admin
  never lists them, for anyone;
- program settings: the app's one-to-one settings model (`program = OneToOneField(
  TrainingProgram, primary_key=True, ...)`). Every program has exactly one row of it:
  `register_program_settings` connects a post_save receiver that makes the row when a
  program is created;
- program inlines: admin inline classes that the program's admin page shows (the app's
  settings), after the core's own;
- health checks: functions () -> (value, ok) whose value /healthz shows under the check's
  name (never anything confidential: counts and ids), and whose `ok=False` makes it 503;
- figures: per app, functions (program, period) -> Section for a program's figures page
  and (programs, period) -> Section | None for the office's page (peers/figures/).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_save


@dataclass(frozen=True)
class TodoItem:
    title: str
    detail: str = ""
    url: str = ""
    urgent: bool = False
    due: datetime.datetime | None = None  # the home page puts the nearest deadline first


def time_left(due: datetime.datetime, now: datetime.datetime) -> str:
    """'3 h 20 min left', '2 days left' or 'overdue by 45 min', for a to-do's deadline."""
    seconds = int((due - now).total_seconds())
    minutes = abs(seconds) // 60
    if minutes >= 48 * 60:
        span = f"{minutes // (24 * 60)} days"
    elif minutes >= 60:
        span = f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"
    else:
        span = f"{max(minutes, 1)} min"
    return f"{span} left" if seconds > 0 else f"overdue by {span}"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50


sweeps: dict[str, Callable[[], object]] = {}
todo_providers: list[Callable] = []
nav_providers: list[Callable] = []
demo_seeders: list[Callable] = []
confidential_notification_prefixes: list[str] = []
program_inlines: list[type] = []
health_checks: dict[str, Callable[[], tuple[object, bool]]] = {}
figure_providers: dict[str, tuple[int, Callable, Callable | None]] = {}


def register_sweep(name: str, func: Callable[[], object]) -> None:
    sweeps[name] = func


def register_todo(func: Callable) -> None:
    if func not in todo_providers:
        todo_providers.append(func)


def register_nav(func: Callable) -> None:
    if func not in nav_providers:
        nav_providers.append(func)


def register_demo_seeder(func: Callable) -> None:
    if func not in demo_seeders:
        demo_seeders.append(func)


def register_confidential_notification_prefix(prefix: str) -> None:
    if prefix and prefix not in confidential_notification_prefixes:
        confidential_notification_prefixes.append(prefix)


def register_health_check(name: str, func: Callable[[], tuple[object, bool]]) -> None:
    health_checks[name] = func


def register_program_inline(inline: type) -> None:
    if inline not in program_inlines:
        program_inlines.append(inline)


def register_program_settings(model: type[models.Model]) -> None:
    """Make `model`'s row for every program created from now on. A technical invariant
    (each program has its settings), not a business rule: factories, the admin and
    seed_demo need do nothing."""

    def settings_create(sender, instance, created: bool, **kwargs) -> None:
        if created:
            model.objects.get_or_create(program=instance)

    post_save.connect(
        settings_create, sender="peers.TrainingProgram", weak=False, dispatch_uid=f"{model._meta.label}-per-program"
    )


def register_figures(name: str, *, order: int, program: Callable, office: Callable | None = None) -> None:
    figure_providers[name] = (order, program, office)
