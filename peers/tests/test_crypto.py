import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured

from peers.models import EncryptionCanary
from peers.services import crypto
from peers.tests.factories import TEST_TOTP_SECRET, give_totp

OLD_KEY = "old-encryption-key-0123456789abcdefghijklmnopqrstuvwxyz"
NEW_KEY = "new-encryption-key-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def use_keys(settings):
    """Switch the encryption keys; key derivation is cached, so reset the caches."""

    def switch(*keys: str) -> None:
        settings.PEERS_FIELD_ENCRYPTION_KEYS = list(keys)
        crypto._fernet.cache_clear()
        EncryptionCanary._meta.get_field("value").__dict__.pop("keys", None)
        EncryptionCanary._meta.get_field("value").__dict__.pop("f", None)

    yield switch
    crypto._fernet.cache_clear()
    EncryptionCanary._meta.get_field("value").__dict__.pop("keys", None)
    EncryptionCanary._meta.get_field("value").__dict__.pop("f", None)


@pytest.mark.django_db
def test_canary_is_created_on_first_start_and_verified_after(use_keys):
    use_keys(OLD_KEY)
    crypto.canary_verify()
    assert EncryptionCanary.objects.values_list("value", flat=True).get() == crypto.CANARY_PLAINTEXT
    crypto.canary_verify()
    assert EncryptionCanary.objects.count() == 1


@pytest.mark.django_db
def test_app_refuses_to_start_with_a_key_that_cannot_read_the_canary(use_keys):
    use_keys(OLD_KEY)
    crypto.canary_verify()
    use_keys(NEW_KEY)
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        crypto.canary_verify()


@pytest.mark.django_db
def test_changing_the_secret_key_does_not_touch_encrypted_data(use_keys, settings):
    use_keys(OLD_KEY)
    crypto.canary_verify()
    settings.SECRET_KEY = "a-brand-new-django-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    use_keys(OLD_KEY)
    crypto.canary_verify()


@pytest.mark.django_db
def test_key_rotation_then_reencrypt_lets_the_old_key_go(use_keys, trainee):
    use_keys(OLD_KEY)
    crypto.canary_verify()
    give_totp(trainee)
    use_keys(NEW_KEY, OLD_KEY)  # new key first: old data still reads
    crypto.canary_verify()
    counts = crypto.data_reencrypt()
    assert counts["peers.EncryptionCanary"] == 1 and counts["mfa.Authenticator"] == 1
    use_keys(NEW_KEY)  # the old key is gone
    crypto.canary_verify()
    stored = Authenticator.objects.get(user=trainee).data["secret"]
    assert crypto.text_decrypt(stored) == TEST_TOTP_SECRET


def test_mfa_secrets_are_encrypted_by_the_adapter(use_keys):
    use_keys(OLD_KEY)
    adapter = get_adapter()
    token = adapter.encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in token
    assert adapter.decrypt(token) == "JBSWY3DPEHPK3PXP"
    assert crypto.text_encrypt("x") != crypto.text_encrypt("x")  # a fresh IV each time
