"""Accepting the program's disclosure and confidentiality statement."""

from mentoring.models import DisclosureAcceptance, DisclosureStatement
from peers.models import User


def disclosure_accept(*, user: User, statement: DisclosureStatement) -> None:
    DisclosureAcceptance.objects.get_or_create(statement=statement, user=user)
