"""The sign-in list `make run` prints and the README's "Demo sign-ins" table agree, and
every account they name exists after seed_demo."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from peers.models import User


def _readme_logins() -> list[str]:
    readme = (settings.BASE_DIR / "README.md").read_text()
    section = readme.split("## Demo sign-ins", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+@[^`]+)` \|", section, flags=re.MULTILINE)


@pytest.mark.django_db
def test_every_readme_demo_login_exists_and_is_printed(capsys, settings):
    settings.DEBUG = True
    logins = _readme_logins()
    assert len(logins) >= 11 and "residency.coordinator@lakeshore-med.example" in logins
    call_command("seed_demo")
    printed = capsys.readouterr().out.split("Demo sign-ins", 1)[1]
    printed_emails = re.findall(r"^  (\S+@\S+)", printed, flags=re.MULTILINE)
    assert printed_emails == logins
    existing = set(User.objects.filter(email__in=logins, is_active=True).values_list("email", flat=True))
    assert existing == set(logins)
