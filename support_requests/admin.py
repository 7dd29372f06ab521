"""Support in the admin: supporters' profiles and office hours, never requests.

Support requests are not in the admin at all, for anyone, superusers included: a list
of them (with its result count, its filters and its times) would be a count of people
that leaves the confidential room without the suppression engine, and a reference
with a date is a step towards a name. Coordinators and the office see requests only as
the suppressed report; leads and supporters work them in /support/queue/, where every
read is logged. Reads of supporters' profiles here are logged too."""

from django.contrib import admin

from peers.admin_scoping import ProgramScopedAdmin, ProgramSettingsInline
from peers.models import Role
from peers.selectors import program_ids_with_role
from peers.services.audit import access_log_write
from support_requests import receivers
from support_requests.models import (
    Department,
    OfficeHours,
    ResourceTranslation,
    SupporterAway,
    SupporterProfile,
    SupportHoliday,
    SupportHours,
    SupportSettings,
)


class AwayInline(admin.TabularInline):
    model = SupporterAway
    extra = 0


@admin.register(SupporterProfile)
class SupporterProfileAdmin(ProgramScopedAdmin):
    list_display = ("user", "program", "is_active", "capacity", "specialty", "career_stage")
    list_filter = ("program", "is_active", "career_stage")
    search_fields = ("user__email", "user__name", "specialty")
    list_select_related = ("user", "program")
    inlines = [AwayInline]

    # What a supporter chose to disclose is for matching, not for anyone's eyes: the
    # supporter edits it on their own profile page (/support/profile/).
    exclude = ("disclosed_identities", "identity_consent_at")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "home_department" and not request.user.is_superuser:
            programs = program_ids_with_role(request.user, Role.COORDINATOR)
            kwargs["queryset"] = Department.objects.filter(institution__programs__in=programs).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        _log_admin_read(request, "admin_list", "")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _log_admin_read(request, "admin_view", object_id)
        return super().change_view(request, object_id, form_url, extra_context)


def _log_admin_read(request, action: str, object_id: str) -> None:
    access_log_write(
        request=request,
        action=action,
        object_type="support_requests.supporterprofile",
        object_id=str(object_id)[:64],
        allowed=request.user.has_perm("support_requests.view_supporterprofile"),
    )


@admin.register(OfficeHours)
class OfficeHoursAdmin(ProgramScopedAdmin):
    list_display = ("program", "kind", "weekday", "starts_at", "ends_at", "location")
    list_filter = ("program", "kind")


class OfficeOnlyAdmin(admin.ModelAdmin):
    """Lists per institution: the office keeps them (coordinators run programs, not institutions)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Department)
class DepartmentAdmin(OfficeOnlyAdmin):
    """The departments a requester picks from, so that no supporter of theirs is offered the request."""

    list_display = ("name", "institution")
    list_filter = ("institution",)
    search_fields = ("name",)


@admin.register(ResourceTranslation)
class ResourceTranslationAdmin(OfficeOnlyAdmin):
    """An institution's crisis and clinical resources in one more language (its own are on the institution)."""

    list_display = ("institution", "language", "language_name")
    list_filter = ("institution",)


class SupportSettingsInline(ProgramSettingsInline):
    """On the program's admin page (registered in SupportRequestsConfig.ready())."""

    model = SupportSettings
    fields = (
        "accepts_requests",
        "who_receives_requests",
        "first_response_hours",
        "urgent_response_hours",
        "offer_hours",
        "auto_assign",
        "notes_allowed",
        "retention_days",
    )
    readonly_fields = ("who_receives_requests",)

    @admin.display(description="who receives new requests")
    def who_receives_requests(self, settings: SupportSettings) -> str:
        return receiving_summary(settings)


def receiving_summary(settings: SupportSettings) -> str:
    """Counts only, no names: the program page is seen by coordinators too."""
    if settings.program_id is None:  # a program being added: it has nobody yet
        return "Nobody yet: appoint a support lead once the program is saved."
    program = settings.program
    leads = len(receivers.leads(program))
    if leads:
        return f"{leads} active support lead{'s' if leads != 1 else ''}."
    office = len(receivers.office_administrators(program.institution))
    if not settings.accepts_requests:
        return "Nobody: this program does not accept support requests."
    if office:
        return (
            f"No active support lead: the office ({office} administrator{'s' if office != 1 else ''}) is told "
            "of each request and asked to appoint one. Nobody can read a request until then."
        )
    return "NOBODY: no active support lead and no office administrator. Requests would reach no one."


class _ProgramPartInline(admin.TabularInline):
    """Rows that belong to a program, edited on its admin page by whoever may change the
    program (its coordinators, within the program admin's scoping)."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("peers.view_trainingprogram", obj)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_trainingprogram", obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_trainingprogram", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_trainingprogram", obj)


class SupportHoursInline(_ProgramPartInline):
    """When first-contact deadlines count, in the program's zone (support_requests.hours).
    None: around the clock."""

    model = SupportHours
    fields = ("weekday", "starts_at", "ends_at")


class SupportHolidayInline(_ProgramPartInline):
    model = SupportHoliday
    fields = ("date", "name")
