"""Seats: bookings and the waitlist."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sessions_app.models.session import Session


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    program_parents = ("session",)  # see peers.rules
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_bookings")
    round_key = models.CharField(max_length=60, editable=False, help_text="One seat per round of a series.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    feedback_given = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(status="booked"), name="booking_one_per_session"
            ),
            models.UniqueConstraint(
                fields=["user", "round_key"], condition=Q(status="booked"), name="booking_one_per_round"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            # The roster's figures tally each ended session's seats and attendance from here
            # (sessions_app.selectors.program_figures): an index-only read per session.
            models.Index(
                fields=["session"], include=["attended"], name="booking_held_tally", condition=Q(status="booked")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} · {self.status}"


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Seat offered"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Offer expired"
        LEFT = "left", "Left the waitlist"

    OPEN = (Status.WAITING, Status.OFFERED)  # still in the queue: waiting, or holding a seat

    program_parents = ("session",)  # see peers.rules
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_waitlists")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["waiting", "offered"]),  # WaitlistEntry.OPEN
                name="waitlist_once_per_session",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False), name="waitlist_offer_has_expiry"
            ),
        ]
        indexes = [
            models.Index(fields=["offer_expires_at"], name="waitlist_offers_expiring", condition=Q(status="offered")),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} · {self.status}"
