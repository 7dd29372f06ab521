"""The program's disclosure and confidentiality statement, and who accepted which version."""

from django.conf import settings
from django.db import models

from peers.models import TrainingProgram


class DisclosureStatementQuerySet(models.QuerySet):
    def current_for(self, program_id: int) -> "DisclosureStatement | None":
        return self.filter(program=program_id).order_by("-version").first()


class DisclosureStatement(models.Model):
    """The program's disclosure and confidentiality statement, versioned. A peer mentor
    accepts the current version before any mentee data is shown to them."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="disclosure_statements")
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    published_on = models.DateField()

    objects = DisclosureStatementQuerySet.as_manager()

    class Meta:
        ordering = ["program", "-version"]
        constraints = [models.UniqueConstraint(fields=["program", "version"], name="disclosure_version_unique")]

    def __str__(self) -> str:
        return f"{self.program} disclosure statement v{self.version}"


class DisclosureAcceptance(models.Model):
    statement = models.ForeignKey(DisclosureStatement, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    program_parents = ("statement",)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "user"], name="disclosure_accepted_once")]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.statement}"
