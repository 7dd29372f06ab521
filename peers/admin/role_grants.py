"""Role grants: where the office proposes and approves the confidential roles, and
reviews who was given them, by whom and when (peers/services/role_grants.py)."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse

from peers.access import role_grant_decide_or_404
from peers.models import GrantStatus, RoleGrant
from peers.services.role_grants import (
    is_office_administrator,
    role_grant_approve,
    role_grant_check,
    role_grant_propose,
    role_grant_reject,
)

Decision = Callable[[RoleGrant], object]


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


def _approve(request) -> Decision:
    return lambda grant: role_grant_approve(grant=grant, approver=request.user)


def _reject(request) -> Decision:
    return lambda grant: role_grant_reject(grant=grant, rejecter=request.user)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Only office administrators (superusers) see it."""

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
        return self._decide_one(request, grant_id, _approve(request))

    def reject_view(self, request, grant_id: int):
        return self._decide_one(request, grant_id, _reject(request))

    def _decide_one(self, request, grant_id: int, decide: Decision):
        """The buttons on a grant's page: office administrators only, POST only."""
        grant = role_grant_decide_or_404(request.user, grant_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            decide(grant)
            messages.success(request, f"{grant}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("admin:peers_rolegrant_change", args=[grant.pk]))

    @admin.action(description="Approve the selected proposals")
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, _approve(request), "approved")

    @admin.action(description="Reject the selected proposals")
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, _reject(request), "rejected")

    def _decide(self, request, queryset, decide: Decision, verb: str) -> None:
        proposed = queryset.filter(status=GrantStatus.PROPOSED)
        done = 0
        for grant in proposed.select_related("user", "program"):
            try:
                decide(grant)
                done += 1
            except ValidationError as error:
                messages.error(request, f"{grant}: {' '.join(error.messages)}")
        if done:
            messages.success(request, f"{done} proposal(s) {verb}.")
        elif not proposed.exists():
            messages.warning(request, "None of the selected grants is waiting for a decision.")
