"""Encryption at rest: one key set for encrypted fields and MFA secrets, and the
start-up canary that refuses to run with keys that cannot read existing data."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from encrypted_fields.fields import EncryptedTextField

CANARY_PLAINTEXT = "peers-encryption-canary-v1"


@cache
def _fernet() -> MultiFernet:
    # Derive keys exactly as the encrypted model fields do, so one rotation covers both.
    return MultiFernet([Fernet(key) for key in EncryptedTextField().keys])


def text_encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def text_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with the configured keys "
            "(DJANGO_SECRET_KEY, DJANGO_SECRET_KEY_FALLBACKS, DJANGO_FIELD_ENCRYPTION_SALTS)."
        ) from None


def canary_verify() -> None:
    """Create the canary on first start; afterwards refuse to start if it does not decrypt.

    1. Before migrations have run there is no table: nothing to check yet.
    2. With no row, write one with the current keys.
    3. Read the raw stored token and decrypt it; failure raises ImproperlyConfigured.
    """
    from peers.models import EncryptionCanary

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
