"""The coordinators' view of mentees' wishes (read-only: mentees state them themselves).
Staff pages are scoped to the programs a coordinator coordinates; mentors never see them."""

from django.contrib import admin

from mentoring.models import MenteePreference
from peers.admin_scoping import ProgramScopedAdmin, ReadOnlyAdminMixin


@admin.register(MenteePreference)
class MenteePreferenceAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = ("user", "cycle", "preferred_mentor", "avoided")
    list_select_related = ("user", "cycle__program", "preferred_mentor")
    list_filter = ("cycle",)
    search_fields = ("user__name",)
    fields = ("cycle", "user", "preferred_mentor", "avoid")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("avoid")

    @admin.display(description="people to avoid")
    def avoided(self, obj) -> str:
        return ", ".join(sorted(person.get_full_name() for person in obj.avoid.all())) or "–"
