import datetime
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from peers.admin_scoping import ProgramScopedAdmin, ProgramSettingsInline, ReadOnlyAdminMixin
from peers.models import Membership, Role, User
from peers.selectors import programs_coordinated_by
from peers.suppression import THRESHOLD
from sessions_app import services
from sessions_app.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    Availability,
    Booking,
    Facilitation,
    Feedback,
    SeriesGroup,
    Session,
    SessionSeries,
    SessionSettings,
    Topic,
    TopicVersion,
    WaitlistEntry,
)


class TopicVersionInline(admin.TabularInline):
    """A topic's past versions, read-only: sessions that used them still show them."""

    model = TopicVersion
    extra = 0
    fields = ("number", "valid_from", "title", "core_values", "default_minutes")
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("sessions_app.view_topic", obj)  # whoever sees the topic

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(ProgramScopedAdmin):
    list_display = ("title", "program", "kind_label", "version", "default_minutes", "is_active")
    list_filter = ("program", "is_active")
    search_fields = ("title", "summary")
    readonly_fields = ("version", "adapted_from_version")
    inlines = [TopicVersionInline]

    def save_model(self, request, obj, form, change):
        # Editing what a topic says makes a new version; past sessions keep theirs.
        services.topic_save(topic=obj, changed=list(form.changed_data) if change else [])

    @admin.display(description="kind")
    def kind_label(self, obj: Topic) -> str:
        return {"core": "Core", "adaptation": "Adaptation", "program": "Program's own"}[obj.kind]

    def get_queryset(self, request):
        # Coordinators see the core curriculum (read-only) and their programs' topics.
        queryset = super(ProgramScopedAdmin, self).get_queryset(request).select_related("program")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(program__isnull=True) | queryset.filter(
            program__in=programs_coordinated_by(request.user)
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.program_id is None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.program_id is None and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class SeriesGroupInline(admin.TabularInline):
    """Each parallel group's own room, join link and co-facilitators, copied to the group's
    sessions when they are generated; a session's own fields stay editable on its page."""

    model = SeriesGroup
    extra = 0
    fields = ("number", "location", "join_link", "facilitators")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "facilitators":
            programs = Membership.objects.active().filter(role__in=(Role.FACILITATOR, Role.WELLNESS_ADVISOR))
            if not request.user.is_superuser:
                programs = programs.filter(program__in=programs_coordinated_by(request.user))
            kwargs["queryset"] = User.objects.filter(memberships__in=programs).distinct().order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SessionSeriesForm(forms.ModelForm):
    overwrite_hand_changes = forms.BooleanField(
        required=False,
        label="Also overwrite sessions changed by hand",
        help_text=(
            "Saving updates the series' future sessions. A session whose time, length, format, room or link "
            "was changed on the session itself keeps that change, unless this is ticked."
        ),
    )

    class Meta:
        model = SessionSeries
        fields = [
            "program",
            "name",
            "cadence",
            "week_of_month",
            "weekday",
            "local_start_time",
            "duration_minutes",
            "term_starts_on",
            "term_ends_on",
            "modality",
            "location",
            "join_link",
            "group_size",
            "topics",
        ]


@admin.register(SessionSeries)
class SessionSeriesAdmin(ProgramScopedAdmin):
    form = SessionSeriesForm
    inlines = [SeriesGroupInline]
    list_display = ("name", "program", "cadence", "rule", "term_starts_on", "term_ends_on", "modality", "sessions")
    list_filter = ("program", "cadence", "modality")
    search_fields = ("name",)
    actions = ["generate_sessions"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program").annotate(session_count=Count("sessions"))

    @admin.display(description="rule")
    def rule(self, obj: SessionSeries) -> str:
        return f"{obj.get_week_of_month_display()} {obj.get_weekday_display()}, {obj.local_start_time:%H:%M} local"

    @admin.display(description="sessions", ordering="session_count")
    def sessions(self, obj) -> int:
        return obj.session_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the group rows first: they give rooms and links
        if not change:
            return
        result = services.series_update(
            series=form.instance, overwrite_hand_changes=form.cleaned_data.get("overwrite_hand_changes", False)
        )
        if result.updated:
            messages.info(
                request,
                f"{len(result.updated)} future session(s) now follow the series; "
                f"{result.told} people booked or co-facilitating were sent the updated calendar entries.",
            )
        if result.kept_by_hand:
            messages.warning(
                request,
                f"{len(result.kept_by_hand)} session(s) changed by hand kept their own settings. "
                'Tick "Also overwrite sessions changed by hand" and save again to update them too.',
            )
        for problem in result.refused:
            messages.warning(request, f"Not moved: {problem}")

    @admin.action(description="Generate the sessions of the selected series (safe to repeat)")
    def generate_sessions(self, request, queryset):
        total = sum(len(services.series_generate_sessions(series=series)) for series in queryset)
        messages.success(request, f"Created {total} new session(s). Existing sessions were left as they were.")
        for series in queryset:
            for problem in services.series_time_problems(series=series):
                messages.warning(request, f"{series}: {problem} Change the series' start time if that is wrong.")


class FacilitationInline(admin.TabularInline):
    model = Facilitation
    extra = 0
    fields = ("user", "kind", "slot", "active")
    readonly_fields = ("user", "kind", "slot", "active")
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


class SessionForm(forms.ModelForm):
    duration_minutes = forms.IntegerField(
        min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=MIN_MINUTES, help_text="Between 60 and 90 minutes."
    )

    class Meta:
        model = Session
        fields = [
            "program",
            "series",
            "topic",
            "starts_at",
            "duration_minutes",
            "group_number",
            "modality",
            "location",
            "join_link",
            "capacity",
            "booking_closes_hours",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["duration_minutes"].initial = self.instance.duration_minutes

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("duration_minutes"):
            self.instance.ends_at = data["starts_at"] + datetime.timedelta(minutes=data["duration_minutes"])
            program = data.get("program")
            zone = zoneinfo.ZoneInfo(program.time_zone) if program else datetime.UTC
            self.instance.round_date = data["starts_at"].astimezone(zone).date()
        if data.get("capacity") is not None and self.instance.pk and data["capacity"] < self.instance.seats_taken:
            self.add_error(
                "capacity",
                f"{self.instance.seats_taken} seats are already taken; the capacity can't be lower than that.",
            )
        if self.instance.ends_at and data.get("starts_at"):
            for problem in services.session_update_problems(
                session=self.instance,
                starts_at=data["starts_at"],
                ends_at=self.instance.ends_at,
                group_number=data.get("group_number"),
                series=data.get("series"),
            ):
                self.add_error(None, problem)
        return data


class AttendanceFilter(admin.SimpleListFilter):
    """Held sessions with booked trainees whose attendance was never recorded (recording
    it marks the session completed), to chase the facilitators."""

    title = "attendance"
    parameter_name = "attendance"

    def lookups(self, request, model_admin):
        return [("never", "Never taken")]

    def queryset(self, request, queryset):
        if self.value() != "never":
            return queryset
        booked = Booking.objects.filter(session=OuterRef("pk"), status=Booking.Status.BOOKED)
        return queryset.filter(status=Session.Status.SCHEDULED, starts_at__lt=timezone.now()).filter(Exists(booked))


def _facilitator_count() -> Subquery:
    # A subquery, counted for the page's rows only; a join and GROUP BY would count every
    # scoped session before the page's LIMIT.
    facilitations = Facilitation.objects.filter(session=OuterRef("pk")).order_by().values("session")
    return Coalesce(Subquery(facilitations.annotate(n=Func(F("pk"), function="COUNT")).values("n")), 0)


@admin.register(Session)
class SessionAdmin(ProgramScopedAdmin):
    form = SessionForm
    list_display = ("__str__", "program", "starts_at", "modality", "status", "seats", "facilitators")
    list_filter = ("program", "status", "modality", "series", AttendanceFilter)
    search_fields = ("topic__title", "location")
    date_hierarchy = "starts_at"
    inlines = [FacilitationInline]
    actions = ["cancel_sessions"]
    readonly_fields = ("seats_taken", "coordinate_link", "reminders_sent_at", "cancelled_at", "changed_by_hand")

    @admin.display(description="booked trainees")
    def coordinate_link(self, obj: Session):
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}">Book, move or remove trainees; the waitlist; write to them</a>',
            reverse("sessions:coordinate", args=[obj.pk]),
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("program", "topic")
            .annotate(facilitator_count=_facilitator_count())
        )

    @admin.display(description="seats")
    def seats(self, obj: Session) -> str:
        return f"{obj.seats_taken}/{obj.capacity}"

    @admin.display(description="co-facilitators", ordering="facilitator_count")
    def facilitators(self, obj) -> str:
        return f"{obj.facilitator_count}/2"

    @admin.action(description="Cancel the selected sessions and tell everyone booked or waiting")
    def cancel_sessions(self, request, queryset):
        told = sum(services.session_cancel(session=session) for session in queryset)
        messages.success(request, f"Cancelled {queryset.count()} session(s); {told} people were told.")

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """After a refused edit, the admin's own "changed successfully" would be untrue."""
        if getattr(request, "peers_refused", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Facilitation:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # the inline is read-only: it only removes co-facilitators
        for facilitation in formset.deleted_objects:
            services.facilitation_remove(facilitation=facilitation)

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "peers_refused", False):
            super().save_related(request, form, formsets, change)
            return
        for formset in formsets:  # a refused edit saves nothing at all, its inlines included
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = list(form.changed_data) + (["ends_at"] if "duration_minutes" in form.changed_data else [])
        try:
            told, offered = services.session_update(session=obj, changed=changed)
        except ValidationError as refused:
            request.peers_refused = True
            messages.error(request, " ".join(refused.messages))
            return
        if told:
            messages.info(request, f"{told} people booked or facilitating were sent the updated calendar entry.")
        if offered:
            messages.info(request, f"{offered} new seat(s) were offered to the waitlist.")


@admin.register(Facilitation)
class FacilitationAdmin(ProgramScopedAdmin):
    program_path = "session__program"
    list_display = ("user", "kind", "session", "active")
    list_filter = ("kind", "active")
    search_fields = ("user__email", "user__name")
    list_select_related = ("user", "session__topic")
    fields = ("session", "user", "kind")

    def save_model(self, request, obj, form, change):
        try:
            services.facilitation_assign(session=obj.session, user=obj.user, kind=obj.kind)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

    def delete_model(self, request, obj):
        services.facilitation_remove(facilitation=obj)

    def delete_queryset(self, request, queryset):
        for facilitation in queryset:
            services.facilitation_remove(facilitation=facilitation)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


@admin.register(Booking)
class BookingAdmin(ProgramScopedAdmin):
    program_path = "session__program"
    list_display = ("user", "session_link", "status", "attended", "created_at")
    list_filter = ("status", "attended")
    search_fields = ("user__email", "user__name")
    list_select_related = ("user", "session__topic")
    # Not feedback_given: who gave feedback is nobody's business (feedback is anonymous).
    readonly_fields = ("user", "session", "round_key", "status", "created_at", "cancelled_at")

    def has_add_permission(self, request):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__")[0] == "feedback_given":
            return False  # nobody may list who gave feedback
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="session")
    def session_link(self, obj: Booking):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:sessions_app_session_change", args=[obj.session_id]), obj.session
        )


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    program_path = "session__program"
    list_display = ("user", "session", "status", "created_at", "offer_expires_at")
    list_filter = ("status",)
    search_fields = ("user__email", "user__name")
    list_select_related = ("user", "session__topic")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    """Anonymous feedback, listed only for sessions with 5 answers or more (see
    peers.suppression.may_show_free_text), by session, rating and comment: never in
    arrival order, with no link to a booking or a person, and no page per answer (its id
    would give the order away). Counts of feedback are in the roster's monthly table."""

    program_path = "session__program"
    ordering = ("session", "rating", "comment")
    list_display = ("session", "rating", "comment")
    list_display_links = None
    sortable_by = ("rating",)
    show_facets = admin.ShowFacets.NEVER
    list_filter = ("rating",)
    list_select_related = ("session__topic",)

    def get_queryset(self, request):
        answered = Feedback.objects.order_by().values("session").annotate(n=Count("pk")).filter(n__gte=THRESHOLD)
        return super().get_queryset(request).filter(session__in=answered.values("session"))

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        # By rating or session only: a filter by day or id would give the arrival order.
        return lookup.split("__")[0] in ("rating", "session") and super().lookup_allowed(lookup, value, request)


@admin.register(Availability)
class AvailabilityAdmin(ProgramScopedAdmin):
    list_display = ("user", "program", "month", "note")
    list_filter = ("program",)
    search_fields = ("user__email", "user__name")
    list_select_related = ("user", "program")


class SessionSettingsInline(ProgramSettingsInline):
    """On the program's admin page (registered in SessionsAppConfig.ready())."""

    model = SessionSettings
    fields = (
        "session_cadence",
        "group_size",
        "session_reminder_hours",
        "waitlist_offer_hours",
        "facilitator_withdraw_hours",
    )
