"""The admin shows support requests as reference, category, status and timestamps
only, to everyone, superusers included: content is read in the support pages, where
every read is logged."""

from django.contrib import admin

from peers.admin_scoping import ProgramScopedAdmin, ReadOnlyAdminMixin
from support_requests.models import OfficeHours, SupporterAway, SupporterProfile, SupportRequest

METADATA = (
    "reference",
    "program",
    "reason",
    "urgency",
    "status",
    "outcome",
    "created_at",
    "first_contact_due_at",
    "first_contact_at",
    "closed_at",
    "purged_at",
)


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    list_display = ("reference", "program", "reason", "status", "urgency", "created_at", "first_contact_at")
    # No filter by reason or date, and no facet counts: figures that count requests belong
    # to the suppressed report (peers.suppression).
    list_filter = ("status", "program")
    show_facets = admin.ShowFacets.NEVER
    search_fields = ("reference",)
    fields = METADATA
    readonly_fields = METADATA

    def get_queryset(self, request):
        # Only metadata is ever loaded here: the encrypted columns are deferred.
        return super().get_queryset(request).only(*METADATA, "id", "program__name").select_related("program")

    def has_delete_permission(self, request, obj=None):
        return False


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
    filter_horizontal = ("evaluates",)

    def get_exclude(self, request, obj=None):
        # What a supporter chose to disclose is for matching, not for their coordinator.
        return () if request.user.is_superuser else ("disclosed_identities", "identity_consent_at")


@admin.register(OfficeHours)
class OfficeHoursAdmin(ProgramScopedAdmin):
    list_display = ("program", "kind", "weekday", "starts_at", "ends_at", "location")
    list_filter = ("program", "kind")
