"""The history of re-pairing in the admin: read-only, metadata only (the reason stays on
nobody's list). Moves, replacements and dissolutions are made on the re-pairing page."""

from django.contrib import admin

from mentoring.models import PairChange
from peers.admin_scoping import ProgramScopedAdmin, ReadOnlyAdminMixin


@admin.register(PairChange)
class PairChangeAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    """Every move, replacement and dissolution, never edited: who mentored whom, and when."""

    program_path = "cycle__program"
    list_display = ("at", "kind", "cycle", "pair", "mentee_name", "to_pair", "mentor_out", "mentor_in", "by")
    list_filter = ("kind", "cycle")
    list_select_related = (
        "cycle__program",
        "pair__third_year",
        "pair__fourth_year",
        "to_pair__third_year",
        "to_pair__fourth_year",
        "mentee__user",
        "mentor_out",
        "mentor_in",
        "by",
    )
    fields = readonly_fields = (
        "at",
        "kind",
        "cycle",
        "pair",
        "mentee_name",
        "to_pair",
        "mentor_out",
        "mentor_in",
        "by",
    )

    @admin.display(description="mentee")
    def mentee_name(self, obj) -> str:
        return obj.mentee.user.get_full_name() if obj.mentee_id else "–"
