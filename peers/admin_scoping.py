"""The coordinators' admin: every list, search, filter, choice, action and export is
limited to the programs the signed-in coordinator coordinates.

Apps reuse `ProgramScopedAdmin`: set `program_path` to the lookup from the model to
its TrainingProgram ("program", "series__program", ...).

Its lists cost the same however large the tables grow: 25 rows a page, one count and
that count capped (`CappedCountPaginator`), no DISTINCT where the scope cannot repeat a
row, and each row's action checkbox written directly instead of through a form widget's
template.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from peers.models import Institution, LearningCommunity, Membership, TrainingProgram, User
from peers.selectors import programs_coordinated_by
from peers.services.audit import access_log_write

# A list counts its rows up to this many; past it, the list says "more than 10000".
COUNT_CAP = 10_000


def scope_to_programs(queryset: QuerySet, program_path: str, programs: QuerySet) -> QuerySet:
    if program_path == "":
        return queryset.filter(pk__in=programs.values("pk"))
    scoped = queryset.filter(**{f"{program_path}__in": programs})
    # Through a to-many relation (a person's memberships) a row comes once per match; through
    # foreign keys only it comes once, and DISTINCT would make the database sort every
    # scoped row before a page's LIMIT.
    return scoped.distinct() if _crosses_to_many(queryset.model, program_path) else scoped


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (`SELECT COUNT(*) FROM (SELECT id ... LIMIT 10001)`), so a
    list's count costs the same at any size; `capped` says there are more than `count`.
    Pages past the cap are not offered: a list that long is searched or filtered."""

    @cached_property
    def counted(self) -> int:
        # The ids only, unordered: the page's own annotations and sort are not needed to count.
        return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def count(self) -> int:
        return min(self.counted, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.counted > COUNT_CAP


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices list only what lies in the coordinator's programs."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = _scoped_choices(db_field.related_model, request.user)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scoped = _scoped_choices(db_field.related_model, request.user)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """Django's "related only" filter, its choices read in one query: each choice's name
    often names its program (a series, a group), which Django would fetch once per choice,
    so the filter's direct foreign keys are joined instead."""

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model
        present = model_admin.get_queryset(request).distinct().values_list(f"{self.field_path}__pk", flat=True)
        ordering = self.field_admin_ordering(field, request, model_admin) or related._meta.ordering or ("pk",)
        joined = [f.name for f in related._meta.concrete_fields if f.many_to_one]
        rows = related._default_manager.filter(pk__in=present).select_related(*joined).order_by(*ordering)
        return [(row.pk, str(row)) for row in rows]


class ProgramScopedAdmin(ScopedChoicesMixin, ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    program_path: str = "program"
    list_per_page = 25
    paginator = CappedCountPaginator
    show_full_result_count = False  # a second COUNT(*), of the list without its filters

    def action_checkbox(self, obj):
        # Django's markup, without rendering a CheckboxInput's template for every row.
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def response_action(self, request, queryset):
        # "Select all" acts on every row the filters match; the list shows at most
        # COUNT_CAP of them, so past the cap nobody can see what they would act on.
        across = forms.BooleanField(required=False).to_python(request.POST.get("select_across"))  # as Django does
        if across and CappedCountPaginator(queryset, 1).capped:
            self.message_user(
                request,
                f"More than {COUNT_CAP:,} rows match, too many to act on at once. "
                "Narrow the list with a filter or a search first; nothing was changed.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scope_to_programs(queryset, self.program_path, programs_coordinated_by(request.user))

    def get_list_filter(self, request):
        # Related filters list only values present in the scoped queryset, so no
        # program, person or community of another program appears as a choice.
        return [
            (name, RelatedOnlyFilter) if _is_relation(self.model, name) else name
            for name in super().get_list_filter(request)
        ]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # An object outside the coordinator's programs does not exist for them; the
        # attempt is logged all the same.
        access_log_write(
            request=request,
            action="admin_view",
            object_type=opts.label_lower,
            object_id=str(object_id)[:64],
            allowed=False,
        )
        raise Http404("Not found")


class ReadOnlyAdminMixin:
    """For records that are made by services, never typed in: listed and viewed only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _crosses_to_many(model, path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def _is_relation(model, name) -> bool:
    if not isinstance(name, str) or "__" in name:
        return False
    try:
        return model._meta.get_field(name).is_relation
    except FieldDoesNotExist:
        return False


def _scoped_choices(model, user) -> QuerySet | None:
    if user.is_superuser:
        return None
    programs = programs_coordinated_by(user)
    if model is TrainingProgram:
        return programs
    if model is Institution:
        return Institution.objects.filter(programs__in=programs).distinct()
    if model is User:
        return User.objects.filter(memberships__program__in=programs).distinct()
    if model in (LearningCommunity, Membership):
        return model.objects.filter(program__in=programs)
    if hasattr(model, "program"):
        shared = Q(program__isnull=True) if model._meta.get_field("program").null else Q(pk__in=[])
        return model.objects.filter(Q(program__in=programs) | shared)  # e.g. the core curriculum
    return None


class ProgramSettingsInline(admin.StackedInline):
    """An app's settings of one program, shown on the program's admin page (the app
    registers it with peers.registry.register_program_inline). The settings are part of
    the program: whoever may view or change the program may view or change them, within
    the program admin's scoping; nobody deletes them (they go with the program)."""

    can_delete = False
    max_num = 1

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("peers.view_trainingprogram", obj)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_trainingprogram", obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("peers.change_trainingprogram", obj)

    def has_delete_permission(self, request, obj=None):
        return False
