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
  never lists them, for anyone.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    title: str
    detail: str = ""
    url: str = ""
    urgent: bool = False


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
