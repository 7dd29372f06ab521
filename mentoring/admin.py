from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from mentoring import selectors, services
from mentoring.admin_voice import avoided_names, log_avoid_read
from mentoring.models import (
    COHORT_MAX,
    COHORT_MIN,
    Application,
    AwayNotice,
    Contact,
    DisclosureAcceptance,
    DisclosureStatement,
    FocusGroup,
    Interview,
    Mentee,
    MentoringCycle,
    MentoringSettings,
    MentorPair,
    MentorReferral,
    Question,
    Survey,
    TrainingAttendance,
    cohort_size_is_usual,
)
from peers.admin_scoping import ProgramScopedAdmin, ProgramSettingsInline, ReadOnlyAdminMixin


@admin.register(MentoringCycle)
class MentoringCycleAdmin(ProgramScopedAdmin):
    list_display = (
        "name",
        "program",
        "starts_on",
        "ends_on",
        "positions_third_year",
        "positions_fourth_year",
        "repairing",
    )
    list_filter = ("program",)
    actions = ["select_mentors", "propose_pairs", "assign_cohorts", "publish_pairs"]

    @admin.display(description="during the year")
    def repairing(self, obj) -> str:
        """Moving a mentee, replacing a mentor, dissolving a pair and the requests for a
        change live on their own page (mentoring/views_repairing.py)."""
        return format_html('<a href="{}">re-pairing</a>', reverse("mentoring:repairing", args=[obj.pk]))

    @admin.action(description="Assign first- and second-year students without a pair to cohorts")
    def assign_cohorts(self, request, queryset):
        for cycle in queryset:
            messages.success(request, f"{cycle}: {services.cohorts_assign(cycle=cycle)} students placed.")

    @admin.action(description="Select mentors from the interview scores (and tell every applicant)")
    def select_mentors(self, request, queryset):
        for cycle in queryset:
            counts = services.applications_select(cycle=cycle)
            messages.success(
                request,
                f"{cycle}: {counts['selected']} selected, {counts['waitlisted']} waitlisted, "
                f"{counts['declined']} not selected.",
            )

    @admin.action(description="Propose pairs and faculty mentors (replaces unpublished pairs)")
    def propose_pairs(self, request, queryset):
        for cycle in queryset:
            try:
                count = services.pairing_save_proposal(cycle=cycle)
                messages.success(
                    request, f"{cycle}: {count} pairs proposed. Review them under Mentor pairs, then publish."
                )
                _warn(request, cycle)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))

    @admin.action(description="Publish the reviewed pairs (tells mentors, faculty and mentees)")
    def publish_pairs(self, request, queryset):
        """Publishing tells everyone at once and cannot be taken back: the first POST shows
        what will be sent, and only its "Yes, publish" (confirm=1) publishes."""
        if request.POST.get("confirm") != "1":
            cycles = list(
                queryset.annotate(unpublished=Count("pairs", filter=Q(pairs__published_at__isnull=True), distinct=True))
            )
            for cycle in cycles:
                cycle.warnings = selectors.proposal_warnings(cycle=cycle)
            context = {
                **self.admin_site.each_context(request),
                "title": "Publish the reviewed pairs?",
                "cycles": cycles,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "mentoring/admin_confirm_publish.html", context)
        for cycle in queryset:
            told = services.pairing_publish(cycle=cycle)
            if told:
                messages.success(request, f"{cycle}: {told} people told.")
            else:  # published already (a second click, another coordinator): nothing is sent twice
                messages.info(request, f"{cycle}: no pairs waiting to be published; nobody was told again.")


def _warn(request, cycle: MentoringCycle) -> None:
    for warning in selectors.proposal_warnings(cycle=cycle):
        messages.warning(request, f"{cycle}: {warning}")


class MenteeInline(admin.TabularInline):
    """The pair's mentees, read only: a mentee changes pair through the re-pairing page, which
    records the move and tells the people it concerns."""

    model = Mentee
    extra = 0
    fields = ("user", "cycle")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MentorPair)
class MentorPairAdmin(ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = (
        "__str__",
        "cycle",
        "faculty_mentor",
        "learning_community",
        "is_md_phd",
        "cohort",
        "reasons",
        "published_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cohort_size=Count("mentees"))

    # A published pair's people change only through re-pairing (recorded, everyone told); a
    # published pair is never deleted, as its contacts, threads and meetings would go with it.
    PUBLISHED_READONLY = ("cycle", "third_year", "fourth_year", "faculty_mentor", "is_md_phd", "published_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return (*self.PUBLISHED_READONLY, "change_mentors")
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="mentors and mentees")
    def change_mentors(self, obj) -> str:
        return format_html(
            'Published: move a mentee, replace a mentor or dissolve the pair on the <a href="{}">re-pairing page</a>.',
            reverse("mentoring:repairing", args=[obj.cycle_id]),
        )

    def changelist_view(self, request, extra_context=None):
        """The review page: what to look at in each cycle's draft pairs before publishing."""
        if request.method == "GET":
            drafts = self.get_queryset(request).filter(published_at__isnull=True).values("cycle")
            for cycle in MentoringCycle.objects.filter(pk__in=drafts).order_by("-starts_on"):
                _warn(request, cycle)
        return super().changelist_view(request, extra_context)

    @admin.display(description="cohort", ordering="cohort_size")
    def cohort(self, obj) -> str:
        size = obj.cohort_size
        return f"{size}" if cohort_size_is_usual(size) else f"{size} (outside {COHORT_MIN}-{COHORT_MAX})"

    list_filter = ("cycle",)
    list_select_related = ("third_year", "fourth_year", "faculty_mentor", "cycle__program", "learning_community")
    search_fields = ("third_year__name", "fourth_year__name", "faculty_mentor__name")
    inlines = [MenteeInline]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    """Metadata only: the message and its thread are for the mentee and the mentors on duty."""

    program_path = "pair__cycle__program"
    list_display = (
        "mentee",
        "channel",
        "received_at",
        "due_at",
        "answered_at",
        "mentors_alerted_at",
        "faculty_alerted_at",
        "coordinator_alerted_at",
        "content_purged_at",
    )
    list_filter = (
        "channel",
        ("answered_at", admin.EmptyFieldListFilter),
        ("coordinator_alerted_at", admin.EmptyFieldListFilter),  # the coordinators' home links here
    )
    list_select_related = ("mentee__user", "mentee__pair__third_year", "mentee__pair__fourth_year")
    fields = readonly_fields = list_display


@admin.register(AwayNotice)
class AwayNoticeAdmin(ProgramScopedAdmin):
    program_path = "pair__cycle__program"
    list_display = ("mentor", "starts_on", "ends_on", "reason")
    list_select_related = ("mentor",)


class InterviewInline(admin.StackedInline):
    model = Interview
    extra = 0
    fields = (
        "interviewer",
        "scheduled_at",
        "move_requested_at",
        "move_request_note",
        "understanding",
        "prior_experience",
        "dedication",
        "professionalism",
    )
    readonly_fields = ("move_requested_at", "move_request_note")


@admin.register(Application)
class ApplicationAdmin(ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = ("applicant", "cycle", "entering_year", "is_md_phd", "status", "score", "submitted_at")
    list_filter = ("cycle", "entering_year", "status", "is_md_phd")
    search_fields = ("applicant__name", "applicant__email")
    list_select_related = ("applicant", "cycle__program", "interview")
    inlines = [InterviewInline]
    readonly_fields = ("avoided",)

    @admin.display(description="people to avoid")
    def avoided(self, obj) -> str:
        return avoided_names(obj) if obj is not None and obj.pk else "–"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The people to avoid are shown here (read only, stated by the applicant): each
        showing is logged, like other confidential reads (a refused save shows them again)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # shown (another program's application is a 404, logged as refused)
            log_avoid_read(request, Application._meta.label_lower, object_id)
        return response

    def save_formset(self, request, form, formset, change):
        """A new or moved interview time goes through `interview_schedule`, which settles
        any move request and tells the applicant."""
        moved = []
        for inline in formset.forms:
            if isinstance(inline.instance, Interview) and "scheduled_at" in inline.changed_data:
                moved.append((inline.instance, inline.instance.scheduled_at))
                inline.instance.scheduled_at = inline.initial.get("scheduled_at")
        super().save_formset(request, form, formset, change)
        for interview, scheduled_at in moved:
            if interview.pk and services.interview_schedule(interview=interview, scheduled_at=scheduled_at):
                self.message_user(request, f"{interview.application.applicant} has been told the interview time.")

    @admin.display(description="interview score")
    def score(self, obj) -> str:
        interview = getattr(obj, "interview", None)
        return str(interview.total) if interview and interview.total else "–"


@admin.register(DisclosureStatement)
class DisclosureStatementAdmin(ProgramScopedAdmin):
    list_display = ("program", "version", "published_on", "accepted_by")
    list_filter = ("program",)

    @admin.display(description="accepted by")
    def accepted_by(self, obj) -> int:
        return obj.acceptances.count()


@admin.register(DisclosureAcceptance)
class DisclosureAcceptanceAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    program_path = "statement__program"
    list_display = ("user", "statement", "accepted_at")
    list_select_related = ("user", "statement__program")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1


@admin.register(Survey)
class SurveyAdmin(ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = ("title", "cycle", "audience", "anonymous", "sent_at", "closes_at", "results")
    list_filter = ("audience",)
    inlines = [QuestionInline]
    actions = ["send", "close"]

    def get_readonly_fields(self, request, obj=None):
        # Once sent, a survey cannot be reopened: results shown once never change.
        return ("closes_at",) if obj is not None and obj.sent_at else ()

    @admin.display(description="results")
    def results(self, obj):
        return format_html('<a href="{}">results</a>', reverse("mentoring:survey_results", args=[obj.pk]))

    @admin.action(description="Send the selected surveys to their audience")
    def send(self, request, queryset):
        for survey in queryset:
            try:
                messages.success(request, f"{survey}: {services.survey_send(survey=survey)} invited.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))

    @admin.action(description="Close the selected surveys now (their results then show)")
    def close(self, request, queryset):
        closed = sum(services.survey_close(survey=survey) for survey in queryset)
        messages.success(request, f"{closed} survey(s) closed.")


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = ("mentor", "title", "attended_on", "cycle")
    list_filter = ("cycle",)
    search_fields = ("mentor__name", "title")


@admin.register(MentorReferral)
class MentorReferralAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    """Category and route only: the note is for the people referred to."""

    program_path = "pair__cycle__program"
    list_display = ("created_at", "category", "to", "mentor")
    list_filter = ("category", "to")
    fields = ("created_at", "category", "to", "mentor")
    readonly_fields = fields


@admin.register(FocusGroup)
class FocusGroupAdmin(ProgramScopedAdmin):
    program_path = "cycle__program"
    list_display = ("title", "cycle", "held_on", "location")


class MentoringSettingsInline(ProgramSettingsInline):
    """On the program's admin page (registered in MentoringConfig.ready())."""

    model = MentoringSettings
    fields = ("response_hours_text_call", "response_hours_email", "place_offer_hours", "retention_days")


from mentoring import admin_repairing  # noqa: E402, F401  (the re-pairing history, in its own module)
