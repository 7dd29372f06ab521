"""Notifications, read-only: their delivery state, and a retry for the failed ones."""

from django.contrib import admin, messages

from peers import registry
from peers.admin_scoping import ProgramScopedAdmin, ReadOnlyAdminMixin
from peers.models import Notification
from peers.services.notifications import notification_retry


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    list_display = ("subject", "recipient", "kind", "channel", "due_at", "status_label", "attempts", "short_error")
    list_filter = (
        "channel",
        "kind",
        ("failed_at", admin.EmptyFieldListFilter),
        ("sent_at", admin.EmptyFieldListFilter),
        "program",
    )
    search_fields = ("recipient__email", "kind", "dedupe_key")
    list_select_related = ("recipient", "program")
    date_hierarchy = "due_at"
    actions = ["retry_failed"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def get_queryset(self, request):
        # Rows of confidential kinds (a support request came in, at this minute) are
        # nobody's to browse here: delivery retries them on its own, and /healthz
        # shows a stuck one as the oldest unsent notification's age.
        queryset = super().get_queryset(request)
        for prefix in registry.confidential_notification_prefixes:
            queryset = queryset.exclude(kind__startswith=prefix)
        return queryset

    @admin.display(description="status")
    def status_label(self, obj: Notification) -> str:
        return obj.status

    @admin.display(description="last error")
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description="Try the selected failed notifications again")
    def retry_failed(self, request, queryset):
        rows = queryset.filter(sent_at__isnull=True)
        for notification in rows:
            notification_retry(notification=notification)
        messages.success(request, f"{len(rows)} notification(s) will be tried again at the next sweep.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("peers.view_notification"):
            actions.pop("retry_failed", None)
        return actions
