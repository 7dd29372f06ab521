from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """Peer mentoring (DESIGN.md 2.2); built in its own issue."""

    name = "mentoring"
    verbose_name = "Peer mentoring"
