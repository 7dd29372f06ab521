"""People and their training records. A person's memberships are edited on their page
(`MembershipInline`, from peers/admin/memberships.py)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import Http404
from django.utils import timezone

from peers.admin.memberships import MembershipInline, membership_delete, membership_save
from peers.admin_scoping import ProgramScopedAdmin
from peers.models import Membership, TrainingKind, TrainingRecord, User
from peers.services.accounts import user_email_changed
from peers.services.calendar_feeds import calendar_tokens_revoke


@admin.register(User)
class UserAdmin(ProgramScopedAdmin, DjangoUserAdmin):
    program_path = "memberships__program"
    ordering = ("name", "email")
    list_display = ("email", "name", "pronouns", "time_zone", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff")
    search_fields = ("email", "name")
    inlines = [MembershipInline]
    actions = ["revoke_calendar_feed"]
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "time_zone")}),)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        person = (
            None,
            {"fields": ("email", "name", "pronouns", "phone", "time_zone", "quiet_from", "quiet_until", "is_active")},
        )
        dates = ("Dates", {"fields": ("last_login", "date_joined")})
        if request.user.is_superuser:
            access = ("Access", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions", "password")})
            return (person, access, dates)
        return (person, dates)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            # The login address and access are the office's to change; coordinators end memberships.
            return ("email", "is_active", "last_login", "date_joined")
        return self.readonly_fields

    @admin.action(description="Revoke the private calendar feed of the selected people", permissions=["change"])
    def revoke_calendar_feed(self, request, queryset):
        revoked = calendar_tokens_revoke(users=queryset)
        self.message_user(
            request,
            f"Revoked {revoked} calendar feed(s): the old addresses no longer work. "
            "Each person can make a new one on their My sessions page.",
            messages.SUCCESS,
        )

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, never deleted here: the delete page would list what
        # hangs off a person, and a list of what hangs off a person can say too much.
        return False

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise Http404("Only the well-being office sets passwords; people reset their own.")
        return super().user_change_password(request, id, form_url)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.form  # no password: people sign in by code or reset their password
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if "email" in form.changed_data:
            user_email_changed(user=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_delete(request, membership)
        changed = {id(f.instance): f.changed_data for f in formset.forms}
        for membership in memberships:
            membership_save(request, membership, changed.get(id(membership), []))
        formset.save_m2m()


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ProgramScopedAdmin):
    program_path = "user__memberships__program"
    list_display = ("user", "kind", "completed_on", "expires_on", "is_current_today")
    list_filter = ("kind",)
    search_fields = ("user__email", "user__name")
    list_select_related = ("user",)
    date_hierarchy = "completed_on"

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        formfield = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "kind" and not request.user.is_superuser:
            formfield.choices = [c for c in formfield.choices if c[0] != TrainingKind.PEER_SUPPORTER]
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and not request.user.is_superuser:
            formfield.queryset = formfield.queryset.exclude(pk=request.user.pk)  # nobody certifies themselves
        return formfield

    @admin.display(boolean=True, description="current")
    def is_current_today(self, obj: TrainingRecord) -> bool:
        return obj.is_current(timezone.localdate())
