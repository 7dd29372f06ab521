"""Encrypted model fields keyed by DJANGO_FIELD_ENCRYPTION_KEYS, not by SECRET_KEY.

django-fernet-encrypted-fields derives its keys from SECRET_KEY; these subclasses
derive them from the dedicated encryption keys instead (each with each salt), so
rotating SECRET_KEY never touches stored data. The first key encrypts; every key
decrypts; `manage.py reencrypt` rewrites everything with the first key.
"""

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.utils.functional import cached_property
from encrypted_fields import fields as library


def derived_keys() -> list[bytes]:
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list) else [settings.SALT_KEY]
    keys = []
    for secret in settings.PEERS_FIELD_ENCRYPTION_KEYS:
        for salt in salts:
            kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=100_000)
            keys.append(base64.urlsafe_b64encode(kdf.derive(secret.encode())))
    return keys


class PeersKeysMixin:
    @cached_property
    def keys(self) -> list[bytes]:
        return derived_keys()


class EncryptedTextField(PeersKeysMixin, library.EncryptedTextField):
    pass


class EncryptedCharField(PeersKeysMixin, library.EncryptedCharField):
    pass


class EncryptedJSONField(PeersKeysMixin, library.EncryptedJSONField):
    pass
