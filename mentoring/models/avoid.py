"""The people an applicant or a future mentee asked to avoid, kept as one encrypted value
(their user ids): a plain table of who avoids whom would say so to anyone reading the
database or a backup. The solver, the review and the admin read them through here."""

from django.db import models

from peers.fields import EncryptedTextField


def avoid_ids_parse(stored: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in (stored or "").split(",") if part.strip().isdigit())


def avoid_ids_format(ids) -> str | None:
    """The stored form: ids in order, comma-separated; nobody to avoid is NULL (as the
    encrypted fields store an empty value)."""
    return ",".join(str(pk) for pk in sorted(set(ids))) or None


class AvoidList(models.Model):
    avoid_ids = EncryptedTextField(
        "people to avoid",
        blank=True,
        null=True,
        editable=False,
        help_text="User ids, encrypted at rest. Only the solver and the program's coordinators read them.",
    )

    class Meta:
        abstract = True

    @property
    def avoided_ids(self) -> frozenset[int]:
        return avoid_ids_parse(self.avoid_ids)

    def avoid_set(self, people) -> None:
        """Replace the list (not saved: the caller saves `avoid_ids`)."""
        self.avoid_ids = avoid_ids_format(person.pk for person in people)
