"""Reads of a contact's thread (mentoring.access.thread_or_404 decides who may read it)."""

from django.db.models import QuerySet

from mentoring.models import Contact, ContactReply


def thread_replies(*, contact: Contact) -> QuerySet[ContactReply]:
    """The replies in order, with their authors: one query however many."""
    return ContactReply.objects.filter(contact=contact).select_related("author").order_by("created_at", "pk")
