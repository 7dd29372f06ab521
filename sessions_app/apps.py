from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    """PEERS well-being sessions (DESIGN.md 2.1); built in its own issue."""

    name = "sessions_app"
    verbose_name = "PEERS sessions"
