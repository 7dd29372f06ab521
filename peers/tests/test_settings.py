import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from peers import env


@pytest.mark.parametrize(
    ("reader", "value", "fragment"),
    [
        (lambda: env.env_bool("PEERS_T", False), "maybe", "PEERS_T must be true or false"),
        (lambda: env.env_int("PEERS_T", 1), "ten", "PEERS_T must be a whole number"),
        (lambda: env.env_int("PEERS_T", 1, minimum=1), "0", "PEERS_T must be at least 1"),
        (lambda: env.env_list("PEERS_T", []), "a,,b", "PEERS_T must be a comma-separated list"),
        (lambda: env.env_database_url("PEERS_T"), "mysql://x/y", "PEERS_T must be a postgres:// URL"),
        (lambda: env.env_database_url("PEERS_T"), "postgres://host:notaport/db", "PEERS_T"),
        (lambda: env.env_redis_url("PEERS_T"), "http://localhost", "PEERS_T must start with redis://"),
        (lambda: env.env_redis_url("PEERS_T"), "redis://h:xx/0", "PEERS_T has a port that is not a number"),
        (lambda: env.env_redis_url("PEERS_T"), "redis://h:6379/zero", "PEERS_T must end with a database number"),
        (lambda: env.env_choice("PEERS_T", "INFO", {"INFO", "DEBUG"}), "verbose", "PEERS_T must be one of"),
        (lambda: env.env_time_zone("PEERS_T", "UTC"), "Mars/Olympus", "PEERS_T must be an IANA time zone"),
        (lambda: env.env_email_url("PEERS_T", "consolemail://"), "carrier-pigeon://x", "PEERS_T is not a valid"),
    ],
)
def test_malformed_setting_raises_naming_the_variable(monkeypatch, reader, value, fragment):
    monkeypatch.setenv("PEERS_T", value)
    with pytest.raises(ImproperlyConfigured, match=fragment):
        reader()


def test_well_formed_settings_are_parsed(monkeypatch):
    monkeypatch.setenv("PEERS_T", " Yes ")
    assert env.env_bool("PEERS_T", False) is True
    monkeypatch.setenv("PEERS_T", "a.example, b.example")
    assert env.env_list("PEERS_T", []) == ["a.example", "b.example"]
    monkeypatch.setenv("PEERS_T", "postgres://u:p@db.internal:5433/peers")
    config = env.env_database_url("PEERS_T")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "peers")


def _manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    keep = {
        k: v
        for k, v in os.environ.items()
        if k in {"PATH", "HOME", "XDG_RUNTIME_DIR"} or k.startswith("PEERS_EMBEDDED")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**keep, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        extra_env={
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "peers.example.edu",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = _manage("check", extra_env={"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "peers.example.edu"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_malformed_debug_flag_stops_start_up_with_its_name():
    result = _manage("check", extra_env={"DJANGO_DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_behind_a_proxy_the_redirect_can_be_turned_down():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER)",
        extra_env={
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "peers.example.edu",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "False ('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout


def test_a_proxy_count_without_trusting_the_header_stops_start_up():
    result = _manage("check", extra_env={"PEERS_TRUSTED_PROXY_COUNT": "2"})
    assert result.returncode != 0
    assert "PEERS_TRUSTED_PROXY_COUNT is set, but PEERS_TRUST_X_FORWARDED_FOR" in result.stderr


def test_trusting_the_header_means_one_proxy_unless_told_otherwise():
    code = "from django.conf import settings; print(settings.PEERS_TRUSTED_PROXY_COUNT)"
    one = _manage("shell", "-c", code, extra_env={"PEERS_TRUST_X_FORWARDED_FOR": "true"})
    two = _manage(
        "shell", "-c", code, extra_env={"PEERS_TRUST_X_FORWARDED_FOR": "true", "PEERS_TRUSTED_PROXY_COUNT": "2"}
    )
    assert (one.stdout.split()[-1], two.stdout.split()[-1]) == ("1", "2"), one.stderr + two.stderr
