"""The coordinators' view of mentees' wishes (read-only: mentees state them themselves).
Staff pages are scoped to the programs a coordinator coordinates; mentors never see them.
The list says only how many people a student asked to avoid; their names are on the
wish's own page, and each opening of it is logged, like other confidential reads."""

from django.contrib import admin

from mentoring.models import MenteePreference
from peers.admin_scoping import ProgramScopedAdmin, ReadOnlyAdminMixin
from peers.models import User
from peers.services.audit import access_log_write


def avoided_names(obj) -> str:
    """The names of the people `obj` (a wish or an application) asked to avoid, one query."""
    ids = obj.avoided_ids
    if not ids:
        return "–"
    return ", ".join(sorted(person.get_full_name() for person in User.objects.filter(pk__in=ids)))


def log_avoid_read(request, obj_label: str, object_id: str) -> None:
    access_log_write(
        request=request, action="admin_view", object_type=obj_label, object_id=str(object_id)[:64], allowed=True
    )


@admin.register(MenteePreference)
class MenteePreferenceAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = ("user", "cycle", "preferred_mentor", "avoided_count")
    list_select_related = ("user", "cycle__program", "preferred_mentor")
    list_filter = ("cycle",)
    search_fields = ("user__name",)
    fields = ("cycle", "user", "preferred_mentor", "avoided")
    readonly_fields = fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # shown (a wish of another program is a 404, logged as refused)
            log_avoid_read(request, MenteePreference._meta.label_lower, object_id)
        return response

    @admin.display(description="people to avoid")
    def avoided_count(self, obj) -> str:
        count = len(obj.avoided_ids)
        return f"{count} (names on its page)" if count else "–"

    @admin.display(description="people to avoid")
    def avoided(self, obj) -> str:
        return avoided_names(obj)
