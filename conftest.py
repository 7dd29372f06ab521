"""Named people of the domain, shared by every app's tests."""

import os

import pytest

from peers.models import Role
from peers.testing import flush
from peers.tests.factories import MembershipFactory, ProgramFactory, UserFactory, give_totp

pytest_plugins = ["peers.testing.browser"]

# Playwright's sync API runs an event loop in the test thread; live_server's ORM use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

flush.install()  # a transactional test's teardown empties the tables that hold rows, not all ~90


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Rate limits live in the (real, PostgreSQL) cache: each database test starts with
    none used (a transactional test's rows would otherwise outlive it)."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    from django.core.cache import cache

    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        cache.clear()


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    """People made by tests have no quiet hours, so a delivery does not depend on the hour
    the suite runs; peers/tests/test_quiet_hours.py and the support tests set them."""
    settings.PEERS_QUIET_HOURS = None


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def program(db):
    return ProgramFactory(name="MD Program")


@pytest.fixture
def other_program(db):
    return ProgramFactory(name="Surgery Residency")


def _member(program, role, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, program=program, role=role)
    return user


@pytest.fixture
def coordinator(program):
    user = _member(program, Role.COORDINATOR, email="coordinator@example.edu", is_staff=True)
    give_totp(user)
    return user


@pytest.fixture
def other_coordinator(other_program):
    user = _member(other_program, Role.COORDINATOR, email="other.coordinator@example.edu", is_staff=True)
    give_totp(user)
    return user


@pytest.fixture
def trainee(program):
    return _member(program, Role.TRAINEE, email="trainee@example.edu")


@pytest.fixture
def facilitator(program):
    return _member(program, Role.FACILITATOR, email="facilitator@example.edu")


@pytest.fixture
def mentor(program):
    return _member(program, Role.PEER_MENTOR, email="mentor@example.edu")


@pytest.fixture
def supporter(program):
    return _member(program, Role.PEER_SUPPORTER, email="supporter@example.edu")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.edu")


def pytest_collection_modifyitems(items):
    """Every database test may also use the `audit` connection (the access log), which
    writes outside the request's transaction."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        kwargs = dict(marker.kwargs)
        databases = kwargs.get("databases") or ["default"]
        if databases != "__all__" and "audit" not in databases:
            kwargs["databases"] = [*databases, "audit"]
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
