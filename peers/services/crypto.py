"""Encryption at rest: one key set for encrypted fields and MFA secrets, and the
start-up canary that refuses to run with keys that cannot read existing data."""

from functools import cache

from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction

from peers.fields import PeersKeysMixin, derived_keys
from peers.models import EncryptionCanary

CANARY_PLAINTEXT = "peers-encryption-canary-v1"


@cache
def _fernet() -> MultiFernet:
    # The same keys as the encrypted model fields, so one rotation covers both.
    return MultiFernet([Fernet(key) for key in derived_keys()])


def text_encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def text_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with the configured keys "
            "(DJANGO_FIELD_ENCRYPTION_KEYS, DJANGO_FIELD_ENCRYPTION_SALTS)."
        ) from None


def canary_verify() -> None:
    """Create the canary on first start; afterwards refuse to start if it does not decrypt.

    1. Before migrations have run there is no table: nothing to check yet.
    2. With no row, write one with the current keys.
    3. Read the raw stored token and decrypt it; failure raises ImproperlyConfigured.
    """
    try:
        if EncryptionCanary._meta.db_table not in connection.introspection.table_names():
            return
    except DatabaseError:
        return
    if not EncryptionCanary.objects.exists():
        EncryptionCanary.objects.create(value=CANARY_PLAINTEXT)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {EncryptionCanary._meta.db_table} ORDER BY id LIMIT 1")
        (token,) = cursor.fetchone()
    if text_decrypt(token) != CANARY_PLAINTEXT:
        raise ImproperlyConfigured("The encryption canary decrypted to an unexpected value: wrong keys.")


def text_reencrypt(token: str) -> str:
    """The same plaintext, encrypted with the first (newest) key."""
    return _fernet().rotate(token.encode()).decode()


def data_reencrypt() -> dict[str, int]:
    """Re-encrypt every encrypted model field and every MFA secret with the newest key.

    Each model's rows are rewritten in one transaction per model: a field reads with
    any key and writes with the first.
    """
    counts: dict[str, int] = {}
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, PeersKeysMixin)]
        if not names:
            continue
        with transaction.atomic():
            rows = list(model.objects.select_for_update())
            for row in rows:
                row.save(update_fields=names)
        counts[model._meta.label] = len(rows)
    with transaction.atomic():
        authenticators = list(Authenticator.objects.select_for_update())
        for authenticator in authenticators:
            for key in ("secret", "seed"):
                if key in authenticator.data:
                    authenticator.data[key] = text_reencrypt(authenticator.data[key])
            authenticator.save(update_fields=["data"])
    counts["mfa.Authenticator"] = len(authenticators)
    return counts
