import pytest
from django.core.exceptions import ImproperlyConfigured

from peers.models import EncryptionCanary
from peers.services import crypto


@pytest.fixture
def fresh_keys():
    """Key derivation is cached per field instance and per process; reset around key changes."""
    crypto._fernet.cache_clear()
    field = EncryptionCanary._meta.get_field("value")
    for name in ("keys", "f"):
        field.__dict__.pop(name, None)
    yield
    crypto._fernet.cache_clear()
    for name in ("keys", "f"):
        field.__dict__.pop(name, None)


@pytest.mark.django_db
def test_canary_is_created_on_first_start_and_verified_after(fresh_keys):
    crypto.canary_verify()
    stored = EncryptionCanary.objects.values_list("value", flat=True).get()
    assert stored == crypto.CANARY_PLAINTEXT  # decrypted by the field
    crypto.canary_verify()  # the same keys read it back
    assert EncryptionCanary.objects.count() == 1


@pytest.mark.django_db
def test_app_refuses_to_start_with_a_key_that_cannot_read_the_canary(settings, fresh_keys):
    crypto.canary_verify()
    settings.SECRET_KEY = "a-completely-different-secret-key-that-cannot-decrypt-the-canary-0123"
    settings.SECRET_KEY_FALLBACKS = []
    crypto._fernet.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        crypto.canary_verify()


@pytest.mark.django_db
def test_rotating_the_secret_key_keeps_data_readable_through_the_fallback(settings, fresh_keys):
    old_key = settings.SECRET_KEY
    crypto.canary_verify()
    token = crypto.text_encrypt("a mentoring note")
    settings.SECRET_KEY = "the-new-secret-key-after-rotation-0123456789-abcdefghijklmnopqrstuvwxyz"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    crypto._fernet.cache_clear()
    crypto.canary_verify()
    assert crypto.text_decrypt(token) == "a mentoring note"
    assert crypto.text_encrypt("x") != crypto.text_encrypt("x")  # fresh IV each time


def test_mfa_secrets_are_encrypted_by_the_adapter(fresh_keys):
    from allauth.mfa.adapter import get_adapter

    adapter = get_adapter()
    token = adapter.encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in token
    assert adapter.decrypt(token) == "JBSWY3DPEHPK3PXP"
