"""Strict readers for settings that come from environment variables.

Every reader raises ImproperlyConfigured naming the variable when its value is
malformed, so a typo in production fails at start-up instead of later.
"""

import os
import urllib.parse
import zoneinfo

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {value!r}).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {number}).")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items (got {value!r}).")
    return items


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as America/Toronto (got {value!r})."
        ) from None
    return value


def env_database_url(name: str) -> dict | None:
    value = _raw(name)
    if value is None:
        return None
    if not value.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(f"{name} must be a postgres:// URL (got a value starting {value[:12]!r}).")
    try:
        config = environ.Env.db_url_config(value)
    except Exception as exc:  # django-environ raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if config.get("HOST", "").lower().startswith("%2f"):
        config["HOST"] = urllib.parse.unquote(config["HOST"])  # a socket directory
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database (postgres://user@host:5432/dbname).")
    return config


def env_redis_url(name: str) -> str | None:
    value = _raw(name)
    if value is None:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix:// (got {value[:12]!r}).")
    parsed = urllib.parse.urlparse(value)
    try:
        parsed.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    if parsed.scheme != "unix" and not parsed.hostname:
        raise ImproperlyConfigured(f"{name} must name a host, as in redis://localhost:6379/0.")
    database = parsed.path.strip("/")
    if parsed.scheme != "unix" and database and not database.isdigit():
        raise ImproperlyConfigured(f"{name} must end with a database number, as in redis://localhost:6379/0.")
    return value


def env_email_url(name: str, default: str) -> dict:
    value = env_str(name, default)
    try:
        config = environ.Env.email_url_config(value)
    except Exception as exc:
        raise ImproperlyConfigured(
            f"{name} is not a valid email URL such as smtp://user:pass@host:587?tls=True: {exc}"
        ) from None
    if value.startswith("filemail:"):
        config["EMAIL_FILE_PATH"] = urllib.parse.urlparse(value).path  # keep it absolute
    return config


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default).upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))} (got {value!r}).")
    return value
