from django.contrib import admin

from mentoring.models import AwayNotice, Contact, Mentee, MentoringCycle, MentorPair
from peers.admin_scoping import ProgramScopedAdmin


@admin.register(MentoringCycle)
class MentoringCycleAdmin(ProgramScopedAdmin):
    list_display = ("name", "program", "starts_on", "ends_on", "positions_third_year", "positions_fourth_year")
    list_filter = ("program",)


class MenteeInline(admin.TabularInline):
    model = Mentee
    extra = 0
    fields = ("user", "cycle")


@admin.register(MentorPair)
class MentorPairAdmin(ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = ("__str__", "cycle", "faculty_mentor", "learning_community", "published_at")
    list_filter = ("cycle",)
    list_select_related = ("third_year", "fourth_year", "faculty_mentor", "cycle", "learning_community")
    search_fields = ("third_year__name", "fourth_year__name", "faculty_mentor__name")
    inlines = [MenteeInline]


@admin.register(Contact)
class ContactAdmin(ProgramScopedAdmin):
    """Metadata only: the message is for the pair's mentors."""

    program_path = "pair__cycle__program"
    list_display = (
        "mentee",
        "channel",
        "received_at",
        "due_at",
        "answered_at",
        "mentors_alerted_at",
        "faculty_alerted_at",
        "coordinator_alerted_at",
    )
    list_filter = ("channel", ("answered_at", admin.EmptyFieldListFilter))
    list_select_related = ("mentee__user", "mentee__pair__third_year", "mentee__pair__fourth_year")
    fields = (
        "mentee",
        "channel",
        "received_at",
        "due_at",
        "answered_at",
        "mentors_alerted_at",
        "faculty_alerted_at",
        "coordinator_alerted_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AwayNotice)
class AwayNoticeAdmin(ProgramScopedAdmin):
    program_path = "pair__cycle__program"
    list_display = ("mentor", "starts_on", "ends_on", "reason")
    list_select_related = ("mentor",)
