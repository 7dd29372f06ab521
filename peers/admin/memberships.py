"""Memberships: a person's roles in programs, on their own list and on each person's page.

A peer supporter or support lead membership comes from an approved role grant
(peers/admin/role_grants.py): here it can only be ended early or removed, which tells
the program's support leads."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, ValidationError
from import_export.admin import ImportExportMixin

from peers.admin_scoping import ProgramScopedAdmin, ScopedChoicesMixin
from peers.models import Membership
from peers.models.programs import CONFIDENTIAL_ROLES, OFFICE_GRANTED_ROLES
from peers.resources import MEMBERSHIP_COLUMNS, MembershipResource
from peers.selectors import programs_coordinated_by
from peers.services.role_grants import confidential_membership_end, confidential_membership_remove

# What a membership says, in the order the roster file, the list and the form show it.
MEMBERSHIP_FIELDS = ("user", *MEMBERSHIP_COLUMNS)
# What the role grant behind a confidential-role membership decided: shown, never edited.
FIXED_BY_GRANT = ("user", "program", "role", "starts_on")


class MembershipAdminForm(forms.ModelForm):
    """A confidential-role membership can only be ended early, never moved to another
    person, program or role."""

    class Meta:
        model = Membership
        fields = MEMBERSHIP_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.role in CONFIDENTIAL_ROLES:
            self.fields["role"].choices = [(self.instance.role, self.instance.get_role_display())]
            for name in FIXED_BY_GRANT:
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        if self.instance.pk and self.instance.role in CONFIDENTIAL_ROLES and "ends_on" in self.changed_data:
            current = self.instance.ends_on
            if ends_on is None or (current is not None and ends_on > current):
                raise ValidationError("A later end date needs a new role grant, approved by two administrators.")
        return ends_on


def membership_save(request, membership: Membership, changed: list[str]) -> None:
    """Ending a confidential-role membership early tells the program's support leads."""
    if membership.pk and membership.role in CONFIDENTIAL_ROLES and "ends_on" in changed:
        confidential_membership_end(membership=membership, ends_on=membership.ends_on, ended_by=request.user)
    else:
        membership.save()


def membership_delete(request, membership: Membership) -> None:
    """Removing a confidential-role membership tells the program's support leads."""
    if membership.role in CONFIDENTIAL_ROLES:
        confidential_membership_remove(membership=membership, removed_by=request.user)
    else:
        membership.delete()


class RoleChoicesMixin:
    """Coordinators cannot hand out the roles only the well-being office grants, and nobody
    (superusers included) gives a confidential role here: that is a role grant, proposed by
    one office administrator and approved by another."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        formfield = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "role":
            refused = CONFIDENTIAL_ROLES if request.user.is_superuser else OFFICE_GRANTED_ROLES | CONFIDENTIAL_ROLES
            formfield.choices = [c for c in formfield.choices if c[0] not in refused]
        return formfield


class MembershipInline(RoleChoicesMixin, ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    fk_name = "user"
    extra = 1
    fields = MEMBERSHIP_COLUMNS

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("program", "learning_community")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(program__in=programs_coordinated_by(request.user)).exclude(role__in=OFFICE_GRANTED_ROLES)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("peers.view_membership")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("peers.add_membership")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_membership")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("peers.delete_membership")


@admin.register(Membership)
class MembershipAdmin(RoleChoicesMixin, ImportExportMixin, ProgramScopedAdmin):
    class Media:
        js = ["peers/js/admin-export.js"]

    resource_classes = [MembershipResource]
    form = MembershipAdminForm
    list_display = MEMBERSHIP_FIELDS
    list_filter = ("program", "role", "class_year", "is_md_phd", "learning_community")
    search_fields = ("user__email", "user__name")
    list_select_related = ("user", "program", "learning_community")
    autocomplete_fields = ()
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):
        membership_save(request, obj, form.changed_data if change else [])

    def delete_model(self, request, obj):
        membership_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "program"):
            membership_delete(request, membership)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {
            **super().get_import_resource_kwargs(request, **kwargs),
            "allowed_programs": programs_coordinated_by(request.user),
            "office": request.user.is_superuser,
        }

    def get_export_resource_kwargs(self, request, **kwargs):
        return {
            **super().get_export_resource_kwargs(request, **kwargs),
            "allowed_programs": programs_coordinated_by(request.user),
        }

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters:
            # The changelist shows its "?e=1" page for filters it does not offer; the export
            # answers 400 instead of 500.
            raise BadRequest("The export's address has filters this list does not offer") from None

    def has_import_permission(self, request):
        return request.user.has_perm("peers.add_membership")

    def has_export_permission(self, request):
        return request.user.has_perm("peers.view_membership")
