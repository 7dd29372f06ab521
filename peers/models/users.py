import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from peers.models.validators import validate_time_zone


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


_new_calendar_token = new_calendar_token  # named by migration 0001


def calendar_token_hash(token: str) -> str:
    """What the database keeps of a calendar feed address: its SHA-256, never the address."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)


def _default_quiet_from() -> datetime.time | None:
    """PEERS_QUIET_HOURS, for a new person (None: no quiet hours)."""
    return settings.PEERS_QUIET_HOURS and settings.PEERS_QUIET_HOURS[0]


def _default_quiet_until() -> datetime.time | None:
    return settings.PEERS_QUIET_HOURS and settings.PEERS_QUIET_HOURS[1]


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; roles come from memberships in programs."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone])
    # Escalations that are not urgent wait for the end of these hours, in the person's zone
    # (peers/services/quiet_hours.py). Both empty: no quiet hours.
    quiet_from = models.TimeField(
        "quiet hours from", null=True, blank=True, default=_default_quiet_from, help_text="In the person's time zone."
    )
    quiet_until = models.TimeField("quiet hours until", null=True, blank=True, default=_default_quiet_until)
    calendar_token_hash = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        editable=False,
        help_text="SHA-256 of the private calendar feed address; empty when the person has none (or it was revoked).",
    )
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the coordinators' site (the admin).")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | models.Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="user_quiet_hours_both_or_neither",
                violation_error_message="Give quiet hours a start and an end, or leave both empty.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email
