"""A mentor referring a situation beyond the relationship."""

from django.conf import settings
from django.db import models

from mentoring.models.cohorts import MentorPair
from peers.fields import EncryptedTextField


class MentorReferral(models.Model):
    """A mentor referring a situation beyond the relationship to the faculty mentor or the
    program office, as the program requires."""

    class To(models.TextChoices):
        FACULTY = "faculty", "The faculty mentor"
        OFFICE = "office", "The program office"

    class Category(models.TextChoices):
        WELLBEING = "wellbeing", "Well-being concern"
        ACADEMIC = "academic", "Academic difficulty"
        PROFESSIONALISM = "professionalism", "Professionalism concern"
        MISTREATMENT = "mistreatment", "Mistreatment"
        OTHER = "other", "Other"

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="referrals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    to = models.CharField(max_length=10, choices=To.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    note = EncryptedTextField(blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    program_parents = ("pair",)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} referral to {self.get_to_display().lower()}"
