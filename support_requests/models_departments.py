"""Per institution: its departments (so "not my department" is a real exclusion) and its
crisis and clinical resources in further languages.

Imported by support_requests.models, so these are models of this app like the others."""

import re

from django.db import models
from django.db.models.functions import Lower


def department_key(name: str | None) -> str:
    """What makes two typed departments the same: case, spacing, punctuation, and the words
    "department (of)" or "dept" do not count ("Dept. of Surgery" is "surgery")."""
    text = re.sub(r"[^\w\s]", " ", (name or "").casefold())
    words = [w for w in text.split() if w not in {"department", "dept", "of", "the"}]
    return " ".join(words)


class Department(models.Model):
    institution = models.ForeignKey("peers.Institution", on_delete=models.CASCADE, related_name="support_departments")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["institution__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "institution",
                Lower("name"),
                name="support_department_unique_per_institution",
                violation_error_message="This institution already has a department of that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ResourceTranslation(models.Model):
    """An institution's crisis and clinical resources in one more language. The institution's
    own fields (Institution.crisis_resources, .clinical_resources) are the default."""

    institution = models.ForeignKey(
        "peers.Institution", on_delete=models.CASCADE, related_name="support_resource_translations"
    )
    language = models.CharField(max_length=12, help_text="A language code: fr, es, pt-br.")
    language_name = models.CharField(max_length=40, help_text="The language's name in itself: Français, Español.")
    crisis_resources = models.TextField(blank=True, help_text="One resource per line.")
    clinical_resources = models.TextField(blank=True, help_text="One resource per line.")

    class Meta:
        ordering = ["institution__name", "language"]
        constraints = [
            models.UniqueConstraint(
                "institution",
                Lower("language"),
                name="support_resources_one_per_language",
                violation_error_message="This institution already has its resources in that language.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} ({self.language_name})"
