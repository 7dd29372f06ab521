from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """Peer mentoring (DESIGN.md 2.2)."""

    name = "mentoring"
    verbose_name = "Peer mentoring"

    def ready(self) -> None:
        from mentoring import admin, admin_voice, figures_office, figures_pages, home, services  # noqa: F401
        from mentoring.demo import seed_mentoring_demo
        from mentoring.models import MentoringSettings
        from mentoring.services import pair_feedback
        from peers import registry

        registry.register_sweep("mentee_contact_escalation", services.contacts_escalate)
        registry.register_sweep("mentor_duty_reminders", services.duties_remind)
        registry.register_sweep("mentor_place_offers", services.place_offers_expire)
        registry.register_sweep("faculty_monthly_summaries", services.faculty_summaries_send)
        registry.register_sweep("pair_feedback_invitations", pair_feedback.pair_feedback_invite)
        registry.register_sweep("mentoring_retention_purge", services.mentoring_content_purge)
        registry.register_nav(home.nav)
        registry.register_todo(home.todos)
        registry.register_demo_seeder(seed_mentoring_demo)
        registry.register_program_settings(MentoringSettings)
        registry.register_program_inline(admin.MentoringSettingsInline)
        registry.register_figures(
            "mentoring", order=20, program=figures_pages.program_section, office=figures_office.office_section
        )
