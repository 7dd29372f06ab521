from django.apps import AppConfig


class SupportRequestsConfig(AppConfig):
    """Confidential peer support (DESIGN.md 2.3). Nothing imports this app: its data
    leaves it only as counts."""

    name = "support_requests"
    verbose_name = "Confidential peer support"

    def ready(self) -> None:
        from peers import registry
        from support_requests import admin, figures, figures_office, home, receivers, services
        from support_requests.demo import seed_support_demo
        from support_requests.models import SupportSettings

        registry.register_sweep("support_offer_expiry", services.offers_expire)
        registry.register_sweep("support_first_contact", services.first_contact_escalate)
        registry.register_sweep("support_purge", services.requests_purge)
        registry.register_sweep("support_link_recovery", services.link_recoveries_process)
        registry.register_sweep("support_pauses_resume", services.pauses_resume)
        registry.register_sweep("support_away_handover", services.aways_hand_over)
        registry.register_nav(home.nav)
        registry.register_todo(home.todos)
        registry.register_demo_seeder(seed_support_demo)
        registry.register_confidential_notification_prefix("support_")
        registry.register_program_settings(SupportSettings)
        registry.register_program_inline(admin.SupportSettingsInline)
        registry.register_program_inline(admin.SupportHoursInline)
        registry.register_program_inline(admin.SupportHolidayInline)
        registry.register_health_check("support_programs_nobody_receives", receivers.health_check)
        registry.register_figures(
            "support", order=30, program=figures.program_section, office=figures_office.office_section
        )
