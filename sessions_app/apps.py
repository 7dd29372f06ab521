from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    """PEERS well-being sessions (DESIGN.md 2.1)."""

    name = "sessions_app"
    verbose_name = "PEERS sessions"

    def ready(self) -> None:
        from peers import registry
        from sessions_app import admin, figures_pages, home, services
        from sessions_app.demo import seed_sessions_demo
        from sessions_app.models import SessionSettings

        registry.register_sweep("session_reminders", services.sessions_remind)
        registry.register_sweep("session_attendance_requests", services.sessions_request_attendance)
        registry.register_sweep("session_feedback_requests", services.sessions_request_feedback)
        registry.register_sweep("session_coverage_alerts", services.sessions_alert_coverage)
        registry.register_sweep("waitlist_offer_expiry", services.waitlist_offers_expire)
        registry.register_nav(home.nav)
        registry.register_todo(home.todos)
        registry.register_demo_seeder(seed_sessions_demo)
        registry.register_program_settings(SessionSettings)
        registry.register_program_inline(admin.SessionSettingsInline)
        registry.register_figures(
            "sessions", order=10, program=figures_pages.program_section, office=figures_pages.office_section
        )
