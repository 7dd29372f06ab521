"""Answers inside the app: a mentee's message and the replies to it form a short
encrypted thread (the contact is its first message)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from mentoring.models.contacts import Contact
from peers.fields import EncryptedTextField

REPLY_MAX_LENGTH = 2000
THREAD_MAX_REPLIES = 20  # a short thread: a new question is a new message, on its own clock


class ContactReply(models.Model):
    """A reply in a contact's thread, by a mentor on duty (a peer mentor, or the faculty
    mentor while covering), or a follow-up by the mentee who wrote. Seen only by the
    mentee, the pair's two peer mentors and the faculty mentor while covering
    (mentoring.access.thread_or_404); purged with the contact's message after the
    program's retention period."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    program_parents = ("contact",)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "contact replies"

    def __str__(self) -> str:
        return f"Reply to contact {self.contact_id} ({self.created_at:%Y-%m-%d})"
