"""Re-pairing during the year: the history of every change a coordinator made to the
published pairs (a mentee moved, a mentor replaced, a pair dissolved), and the private
requests for a change that mentees and mentors send to the coordinators."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentoring.models.cohorts import Mentee, MentoringCycle, MentorPair
from peers.fields import EncryptedTextField


class PairChange(models.Model):
    """One change to a published pair, never edited or deleted: with the pairs'
    publication it is the history of who mentored whom. Contacts and meetings keep the
    pair they were made in; only a mentee's place (`Mentee.pair`) and a pair's mentors
    move. Each kind's UNIQUE makes a change happen once even if two coordinators act at
    once: a mentee's moves are numbered, so are a mentor's departures from a pair (once,
    unless they were taken back to it), a pair dissolves once."""

    class Kind(models.TextChoices):
        MOVED = "moved", "Mentee moved"
        REPLACED = "replaced", "Mentor replaced"
        DISSOLVED = "dissolved", "Pair dissolved"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="pair_changes")
    pair = models.ForeignKey(
        MentorPair, on_delete=models.PROTECT, related_name="changes", help_text="For a move, the pair left."
    )
    mentee = models.ForeignKey(Mentee, on_delete=models.PROTECT, null=True, blank=True, related_name="moves")
    to_pair = models.ForeignKey(MentorPair, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sequence = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The mentee's nth move this cycle; for a replacement, the nth time this mentor leaves this pair.",
    )
    mentor_out = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mentor_in = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_pair = models.ForeignKey(
        MentorPair,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a replacement, the running pair the incoming mentor came from (it goes on with one mentor).",
    )
    reason = EncryptedTextField(blank=True, null=True, help_text="For the coordinators only.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField()

    program_parents = ("cycle",)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "sequence"], condition=Q(kind="moved"), name="pair_change_move_once"
            ),
            # A mentor taken back to the pair they left may leave it again later: numbered.
            models.UniqueConstraint(
                fields=["pair", "mentor_out", "sequence"],
                condition=Q(kind="replaced"),
                name="pair_change_mentor_leaves_once",
            ),
            models.UniqueConstraint(fields=["pair"], condition=Q(kind="dissolved"), name="pair_change_dissolve_once"),
            models.CheckConstraint(
                condition=~Q(kind="moved") | Q(mentee__isnull=False, to_pair__isnull=False, sequence__isnull=False),
                name="pair_change_move_has_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(kind="replaced")
                | Q(mentor_out__isnull=False, mentor_in__isnull=False, sequence__isnull=False),
                name="pair_change_replacement_has_mentors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class ChangeRequest(models.Model):
    """A mentee or a peer mentor asking privately for a change of pair. The text is
    encrypted and for the program's coordinators only (not the pair's mentors, not the
    faculty mentor); every read is logged."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="change_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    as_mentee = models.BooleanField(help_text="Asked as a mentee of the pair (else as one of its mentors).")
    text = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    program_parents = ("pair",)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["pair"], name="change_request_open", condition=Q(resolved_at__isnull=True))]

    def __str__(self) -> str:
        return f"Change request {self.created_at:%Y-%m-%d}"
