"""Institutions, training programs and their learning communities."""

from django.contrib import admin

from peers import registry
from peers.admin_scoping import ProgramScopedAdmin
from peers.models import Institution, LearningCommunity, TrainingProgram


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
    fieldsets = ((None, {"fields": ("institution", "name", "kind", "time_zone")}),)

    def has_delete_permission(self, request, obj=None):
        # A program ends; it is not deleted (its delete page would count its records).
        return False

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("institution",)

    def get_inlines(self, request, obj):
        # Each app's settings of the program, registered in its AppConfig.ready().
        return [*self.inlines, *registry.program_inlines]


@admin.register(LearningCommunity)
class LearningCommunityAdmin(ProgramScopedAdmin):
    list_display = ("name", "program")
    list_filter = ("program",)
    search_fields = ("name",)
    list_select_related = ("program",)
