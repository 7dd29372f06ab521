"""The access log, read-only: who read which record, allowed or refused."""

from django.contrib import admin

from peers.admin_scoping import ReadOnlyAdminMixin
from peers.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reads of confidential support requests are shown to the program's support leads on
    each request's page, not here."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "allowed", "ip")
    list_filter = ("allowed", "action", "object_type")
    search_fields = ("object_id", "actor__email")
    list_select_related = ("actor",)
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(object_type__startswith="support_requests.")

    def has_delete_permission(self, request, obj=None):
        return False
