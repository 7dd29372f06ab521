from django.apps import AppConfig


class SupportRequestsConfig(AppConfig):
    """Confidential peer support (DESIGN.md 2.3); built in its own issue.

    Nothing imports this app: its data leaves it only as counts.
    """

    name = "support_requests"
    verbose_name = "Confidential peer support"
