from allauth.account.models import EmailAddress
from django.db import transaction

from peers.models import User


def user_email_changed(*, user: User) -> None:
    """Keep allauth's addresses in step with the login email: the old address stops
    signing in, and the new one must be verified before it can."""
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": False}
        )
