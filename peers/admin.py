from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ImportExportMixin

from peers import registry
from peers.admin_scoping import ProgramScopedAdmin, ReadOnlyAdminMixin
from peers.models import (
    AccessLog,
    Institution,
    LearningCommunity,
    Membership,
    Notification,
    RoleGrant,
    TrainingKind,
    TrainingProgram,
    TrainingRecord,
    User,
)
from peers.models.grants import GrantStatus
from peers.models.programs import CONFIDENTIAL_ROLES, OFFICE_GRANTED_ROLES
from peers.resources import MembershipResource
from peers.selectors import programs_coordinated_by
from peers.services.accounts import user_email_changed
from peers.services.notifications import notification_retry
from peers.services.role_grants import (
    confidential_membership_end,
    confidential_membership_remove,
    is_office_administrator,
    role_grant_approve,
    role_grant_check,
    role_grant_propose,
    role_grant_reject,
)


class MembershipAdminForm(forms.ModelForm):
    """A peer supporter or support lead membership comes from an approved role grant: here
    it can only be ended early, never moved to another person, program or role."""

    class Meta:
        model = Membership
        fields = (
            "user",
            "program",
            "role",
            "starts_on",
            "ends_on",
            "class_year",
            "pgy",
            "is_md_phd",
            "learning_community",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.role in CONFIDENTIAL_ROLES:
            self.fields["role"].choices = [(self.instance.role, self.instance.get_role_display())]
            for name in ("user", "program", "role", "starts_on"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        if self.instance.pk and self.instance.role in CONFIDENTIAL_ROLES and "ends_on" in self.changed_data:
            current = self.instance.ends_on
            if ends_on is None or (current is not None and ends_on > current):
                raise ValidationError("A later end date needs a new role grant, approved by two administrators.")
        return ends_on


def _membership_save(request, membership: Membership, changed: list[str]) -> None:
    """Ending a confidential-role membership early tells the program's support leads."""
    if membership.pk and membership.role in CONFIDENTIAL_ROLES and "ends_on" in changed:
        confidential_membership_end(membership=membership, ends_on=membership.ends_on, ended_by=request.user)
    else:
        membership.save()


def _membership_delete(request, membership: Membership) -> None:
    """Removing a confidential-role membership tells the program's support leads."""
    if membership.role in CONFIDENTIAL_ROLES:
        confidential_membership_remove(membership=membership, removed_by=request.user)
    else:
        membership.delete()


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    fk_name = "user"
    extra = 1
    fields = ("program", "role", "starts_on", "ends_on", "class_year", "pgy", "is_md_phd", "learning_community")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("program", "learning_community")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(program__in=programs_coordinated_by(request.user)).exclude(role__in=OFFICE_GRANTED_ROLES)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        return _role_choices(db_field, request, super().formfield_for_choice_field(db_field, request, **kwargs))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name == "program":
            kwargs["queryset"] = programs_coordinated_by(request.user)
        if not request.user.is_superuser and db_field.name == "learning_community":
            kwargs["queryset"] = LearningCommunity.objects.filter(program__in=programs_coordinated_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("peers.view_membership")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("peers.add_membership")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_membership")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("peers.delete_membership")


def _role_choices(db_field, request, formfield):
    """Coordinators cannot hand out the roles only the well-being office grants, and nobody
    (superusers included) gives a confidential role here: that is a role grant, proposed by
    one office administrator and approved by another."""
    if db_field.name == "role":
        refused = CONFIDENTIAL_ROLES if request.user.is_superuser else OFFICE_GRANTED_ROLES | CONFIDENTIAL_ROLES
        formfield.choices = [c for c in formfield.choices if c[0] not in refused]
    return formfield


@admin.register(User)
class UserAdmin(ProgramScopedAdmin, DjangoUserAdmin):
    program_path = "memberships__program"
    ordering = ("name", "email")
    list_display = ("email", "name", "pronouns", "time_zone", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff")
    search_fields = ("email", "name")
    inlines = [MembershipInline]
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "time_zone")}),)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        person = (None, {"fields": ("email", "name", "pronouns", "phone", "time_zone", "is_active")})
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
            _membership_delete(request, membership)
        changed = {id(f.instance): f.changed_data for f in formset.forms}
        for membership in memberships:
            _membership_save(request, membership, changed.get(id(membership), []))
        formset.save_m2m()


@admin.register(Institution)
class InstitutionAdmin(ProgramScopedAdmin):
    program_path = "programs"
    list_display = ("name", "time_zone", "allow_self_signup")
    search_fields = ("name",)


class LearningCommunityInline(admin.TabularInline):
    model = LearningCommunity
    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("peers.view_learningcommunity", obj)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("peers.add_learningcommunity")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_learningcommunity", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("peers.delete_learningcommunity", obj)


@admin.register(TrainingProgram)
class TrainingProgramAdmin(ProgramScopedAdmin):
    program_path = ""
    list_display = ("name", "institution", "kind", "time_zone")
    list_filter = ("kind", "institution")
    search_fields = ("name", "institution__name")
    list_select_related = ("institution",)
    inlines = [LearningCommunityInline]

    def has_delete_permission(self, request, obj=None):
        # A program ends; it is not deleted (its delete page would count its records).
        return False

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("institution",)

    def get_inlines(self, request, obj):
        # Each app's settings of the program, registered in its AppConfig.ready().
        return [*self.inlines, *registry.program_inlines]

    fieldsets = ((None, {"fields": ("institution", "name", "kind", "time_zone")}),)


@admin.register(LearningCommunity)
class LearningCommunityAdmin(ProgramScopedAdmin):
    list_display = ("name", "program")
    list_filter = ("program",)
    search_fields = ("name",)
    list_select_related = ("program",)


@admin.register(Membership)
class MembershipAdmin(ImportExportMixin, ProgramScopedAdmin):
    class Media:
        js = ["peers/js/admin-export.js"]

    resource_classes = [MembershipResource]
    form = MembershipAdminForm
    list_display = (
        "user",
        "program",
        "role",
        "starts_on",
        "ends_on",
        "class_year",
        "pgy",
        "is_md_phd",
        "learning_community",
    )
    list_filter = ("program", "role", "class_year", "is_md_phd", "learning_community")
    search_fields = ("user__email", "user__name")
    list_select_related = ("user", "program", "learning_community")
    autocomplete_fields = ()
    date_hierarchy = "starts_on"

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        return _role_choices(db_field, request, super().formfield_for_choice_field(db_field, request, **kwargs))

    def save_model(self, request, obj, form, change):
        _membership_save(request, obj, form.changed_data if change else [])

    def delete_model(self, request, obj):
        _membership_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "program"):
            _membership_delete(request, membership)

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


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ProgramScopedAdmin):
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

    program_path = "user__memberships__program"
    list_display = ("user", "kind", "completed_on", "expires_on", "is_current_today")
    list_filter = ("kind",)
    search_fields = ("user__email", "user__name")
    list_select_related = ("user",)
    date_hierarchy = "completed_on"

    @admin.display(boolean=True, description="current")
    def is_current_today(self, obj: TrainingRecord) -> bool:
        return obj.is_current(timezone.localdate())


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


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reads of confidential support requests are shown to the program's support leads on
    each request's page, not here."""

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(object_type__startswith="support_requests.")

    list_display = ("at", "actor", "action", "object_type", "object_id", "allowed", "ip")
    list_filter = ("allowed", "action", "object_type")
    search_fields = ("object_id", "actor__email")
    list_select_related = ("actor",)
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False


class RoleGrantAddForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ("user", "program", "role", "starts_on", "ends_on", "reason")

    def __init__(self, *args, proposer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposer = proposer

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        role_grant_check(proposer=self.proposer, **{k: cleaned.get(k) for k in self.Meta.fields})
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Where the office proposes and approves the confidential roles, and reviews who was
    given them, by whom and when. Only office administrators (superusers) see it."""

    list_display = (
        "user",
        "role",
        "program",
        "status",
        "starts_on",
        "ends_on",
        "proposed_by",
        "proposed_at",
        "approved_by",
        "approved_at",
        "rejected_by",
        "rejected_at",
    )
    list_filter = ("status", "role", "program")
    search_fields = ("user__email", "user__name", "proposed_by__email", "approved_by__email", "rejected_by__email")
    list_select_related = ("user", "program", "proposed_by", "approved_by", "rejected_by")
    date_hierarchy = "proposed_at"
    change_form_template = "admin/peers/rolegrant/change_form.html"
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = [f.name for f in RoleGrant._meta.fields if f.name != "id"]
    fields = readonly_fields

    def has_module_permission(self, request):
        return is_office_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_office_administrator(request.user)

    def has_add_permission(self, request):
        return is_office_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # decisions are actions, never edits

    def has_delete_permission(self, request, obj=None):
        return False  # the office's record of access stays

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            proposer = request.user

            class Form(RoleGrantAddForm):
                def __init__(self, *args, **kw):
                    super().__init__(*args, proposer=proposer, **kw)

            kwargs["form"] = Form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return RoleGrantAddForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        grant = role_grant_propose(proposer=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        obj.pk = grant.pk
        messages.info(request, "Proposed. Another office administrator has been asked to approve it.")

    def get_actions(self, request):
        return super().get_actions(request) if is_office_administrator(request.user) else {}

    def get_urls(self):
        decide = [
            path(
                "<int:grant_id>/approve/", self.admin_site.admin_view(self.approve_view), name="peers_rolegrant_approve"
            ),
            path("<int:grant_id>/reject/", self.admin_site.admin_view(self.reject_view), name="peers_rolegrant_reject"),
        ]
        return decide + super().get_urls()

    def approve_view(self, request, grant_id: int):
        return self._decide_one(request, grant_id, lambda g: role_grant_approve(grant=g, approver=request.user))

    def reject_view(self, request, grant_id: int):
        return self._decide_one(request, grant_id, lambda g: role_grant_reject(grant=g, rejecter=request.user))

    def _decide_one(self, request, grant_id: int, decide):
        """The buttons on a grant's page: POST only, office administrators only."""
        if not is_office_administrator(request.user):
            raise Http404("Not found")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        grant = get_object_or_404(RoleGrant, pk=grant_id)
        try:
            decide(grant)
            messages.success(request, f"{grant}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("admin:peers_rolegrant_change", args=[grant.pk]))

    @admin.action(description="Approve the selected proposals")
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, lambda g: role_grant_approve(grant=g, approver=request.user), "approved")

    @admin.action(description="Reject the selected proposals")
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, lambda g: role_grant_reject(grant=g, rejecter=request.user), "rejected")

    def _decide(self, request, queryset, decide, verb: str) -> None:
        done = 0
        for grant in queryset.filter(status=GrantStatus.PROPOSED).select_related("user", "program"):
            try:
                decide(grant)
                done += 1
            except ValidationError as error:
                messages.error(request, f"{grant}: {' '.join(error.messages)}")
        if done:
            messages.success(request, f"{done} proposal(s) {verb}.")
        elif not queryset.filter(status=GrantStatus.PROPOSED).exists():
            messages.warning(request, "None of the selected grants is waiting for a decision.")
