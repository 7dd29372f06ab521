"""Peer mentoring (DESIGN.md 2.2): cycles, mentor pairs with their faculty mentor and
cohort, mentee contacts on a response clock, and away cover.

Not built yet (see the README): applications and interviews, the pairing solver,
meetings and duty reminders, surveys and referrals.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from peers.fields import EncryptedTextField
from peers.models import LearningCommunity, TrainingProgram


class MentoringCycle(models.Model):
    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="mentoring_cycles")
    name = models.CharField(max_length=100, help_text="e.g. 2026-2027")
    starts_on = models.DateField()
    ends_on = models.DateField()
    positions_third_year = models.PositiveSmallIntegerField(default=26)
    positions_fourth_year = models.PositiveSmallIntegerField(default=26)
    applications_open_on = models.DateField(null=True, blank=True)
    applications_close_on = models.DateField(null=True, blank=True)
    interviews_from = models.DateField(null=True, blank=True)
    interviews_to = models.DateField(null=True, blank=True)
    fall_starts_on = models.DateField(null=True, blank=True)
    fall_ends_on = models.DateField(null=True, blank=True)
    spring_starts_on = models.DateField(null=True, blank=True)
    spring_ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="mentoring_cycle_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="mentoring_cycle_order",
                violation_error_message="A cycle ends after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.name}"

    def accepts_applications(self, day) -> bool:
        return bool(
            self.applications_open_on
            and self.applications_close_on
            and self.applications_open_on <= day <= self.applications_close_on
        )

    def semester_of(self, day):
        """(start, end) of the semester containing `day`, or None."""
        for start, end in ((self.fall_starts_on, self.fall_ends_on), (self.spring_starts_on, self.spring_ends_on)):
            if start and end and start <= day <= end:
                return start, end
        return None


class MentorPair(models.Model):
    """One third-year and one fourth-year peer mentor with their faculty mentor."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="pairs")
    third_year = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fourth_year = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    faculty_mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    learning_community = models.ForeignKey(LearningCommunity, on_delete=models.SET_NULL, null=True, blank=True)
    is_md_phd = models.BooleanField("MD/PhD pair", default=False, help_text="Mentors all MD/PhD students.")
    reasons = models.TextField(blank=True, help_text="Why the solver proposed this pair.")
    published_at = models.DateTimeField(null=True, blank=True)

    program_parents = ("cycle",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "third_year"], name="pair_third_year_once"),
            models.UniqueConstraint(fields=["cycle", "fourth_year"], name="pair_fourth_year_once"),
            models.CheckConstraint(condition=~Q(third_year=F("fourth_year")), name="pair_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.third_year.get_full_name()} & {self.fourth_year.get_full_name()}"

    def mentors(self) -> list:
        return [self.third_year, self.fourth_year]

    def partner_of(self, user):
        return self.fourth_year if user.pk == self.third_year_id else self.third_year


class Mentee(models.Model):
    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="mentees")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="mentees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_places")

    program_parents = ("cycle",)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="mentee_once_per_cycle")]

    def __str__(self) -> str:
        return f"{self.user} in {self.pair}"


class Channel(models.TextChoices):
    TEXT = "text", "Text message"
    CALL = "call", "Phone call"
    EMAIL = "email", "Email"


class Contact(models.Model):
    """A mentee reaching their mentors, through the app or logged by a mentor. The
    answer is due 24 hours after a text or call and 48 after an email (program settings);
    unanswered, it escalates in three steps, each once, never carrying the content."""

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="contacts")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    message = EncryptedTextField(blank=True, null=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when a mentor logged a contact from outside.",
    )
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentors_alerted_at = models.DateTimeField(null=True, blank=True)
    faculty_alerted_at = models.DateTimeField(null=True, blank=True)
    coordinator_alerted_at = models.DateTimeField(null=True, blank=True)

    program_parents = ("pair",)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.CheckConstraint(condition=Q(due_at__gt=F("received_at")), name="contact_due_after")]
        indexes = [
            models.Index(fields=["due_at"], name="contact_unanswered_due", condition=Q(answered_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} from {self.mentee.user} ({self.received_at:%Y-%m-%d})"


class AwayNotice(models.Model):
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="away_notices")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="away_notices")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=120, help_text="e.g. exams, travel")
    tell_mentees = models.BooleanField(default=True)

    program_parents = ("pair",)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="away_order",
                violation_error_message="The end date is before the start date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} away {self.starts_on}–{self.ends_on}"


class Application(models.Model):
    """A student entering third or fourth year (or an MD/PhD student) applying to be a
    peer mentor for a cycle."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SELECTED = "selected", "Selected"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Not selected"

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_applications"
    )
    entering_year = models.PositiveSmallIntegerField(choices=[(3, "Third year"), (4, "Fourth year")])
    is_md_phd = models.BooleanField("applying as an MD/PhD peer mentor", default=False)
    motivation = models.TextField(max_length=3000)
    experience = models.TextField(max_length=3000, blank=True)
    preferred_partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    avoid = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="People the applicant should not be paired with.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)

    program_parents = ("cycle",)

    class Meta:
        ordering = ["cycle", "entering_year", "submitted_at"]
        constraints = [models.UniqueConstraint(fields=["cycle", "applicant"], name="application_once_per_cycle")]

    def __str__(self) -> str:
        return f"{self.applicant} ({self.get_entering_year_display()})"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Interview(models.Model):
    """Four criteria, each scored 1 to 5."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="interview")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    understanding = models.PositiveSmallIntegerField(
        "understanding of mentoring qualities", null=True, blank=True, validators=SCORE
    )
    prior_experience = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    dedication = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    professionalism = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)

    program_parents = ("application",)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(understanding__isnull=True) | Q(understanding__gte=1, understanding__lte=5),
                name="interview_understanding_1_5",
            ),
            models.CheckConstraint(
                condition=Q(prior_experience__isnull=True) | Q(prior_experience__gte=1, prior_experience__lte=5),
                name="interview_experience_1_5",
            ),
            models.CheckConstraint(
                condition=Q(dedication__isnull=True) | Q(dedication__gte=1, dedication__lte=5),
                name="interview_dedication_1_5",
            ),
            models.CheckConstraint(
                condition=Q(professionalism__isnull=True) | Q(professionalism__gte=1, professionalism__lte=5),
                name="interview_professionalism_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Interview of {self.application}"

    @property
    def total(self) -> int | None:
        scores = [self.understanding, self.prior_experience, self.dedication, self.professionalism]
        return None if None in scores else sum(scores)


class DisclosureStatement(models.Model):
    """The program's disclosure and confidentiality statement, versioned. A peer mentor
    accepts the current version before any mentee data is shown to them."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="disclosure_statements")
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    published_on = models.DateField()

    class Meta:
        ordering = ["program", "-version"]
        constraints = [models.UniqueConstraint(fields=["program", "version"], name="disclosure_version_unique")]

    def __str__(self) -> str:
        return f"{self.program} disclosure statement v{self.version}"


class DisclosureAcceptance(models.Model):
    statement = models.ForeignKey(DisclosureStatement, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    program_parents = ("statement",)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "user"], name="disclosure_accepted_once")]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.statement}"


class Meeting(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video"

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    mentees = models.ManyToManyField(Mentee, related_name="meetings")
    notes = EncryptedTextField(blank=True, null=True, help_text="Only the pair sees these.")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    program_parents = ("pair",)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} meeting {self.held_on}"


class Outreach(models.Model):
    """A mentor reaching out to a mentee (the monthly contact duty)."""

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="outreach")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices)

    program_parents = ("mentee",)

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.mentor} reached {self.mentee.user} on {self.on}"


class TrainingAttendance(models.Model):
    """Faculty-led trainings and program workshops a peer mentor attended."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="trainings")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    attended_on = models.DateField()

    program_parents = ("cycle",)

    class Meta:
        ordering = ["-attended_on"]
        verbose_name_plural = "training attendance"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "mentor", "title", "attended_on"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} at {self.title}"


class MentorReferral(models.Model):
    """A mentor referring a situation beyond the relationship to the faculty mentor or the
    program office, as the program requires."""

    class To(models.TextChoices):
        FACULTY = "faculty", "The faculty mentor"
        OFFICE = "office", "The program office"

    class Category(models.TextChoices):
        WELLBEING = "wellbeing", "Well-being concern"
        ACADEMIC = "academic", "Academic difficulty"
        PROFESSIONALISM = "professionalism", "Professionalism concern"
        MISTREATMENT = "mistreatment", "Mistreatment"
        OTHER = "other", "Other"

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="referrals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    to = models.CharField(max_length=10, choices=To.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    note = EncryptedTextField(blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    program_parents = ("pair",)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} referral to {self.get_to_display().lower()}"


class Survey(models.Model):
    class Audience(models.TextChoices):
        MENTORS = "mentors", "Peer mentors"
        MENTEES = "mentees", "Mentees"

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    anonymous = models.BooleanField(default=True, help_text="Answers are stored without the person.")
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Answers are taken until then, and results show only after it, so they never change "
        "once shown. Empty: two weeks after sending.",
    )

    program_parents = ("cycle",)

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closes_at is not None and self.closes_at <= timezone.now()


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Scale (1 to 5)"
        CHOICE = "choice", "Choice"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    choices = models.TextField(blank=True, help_text="For a choice question: one option per line.")

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SurveyInvitation(models.Model):
    """Who may answer, and whether they did; never which answers are theirs when anonymous."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations")
    responded = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="survey_invitation_once")]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.survey}"


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the survey is anonymous.",
    )
    submitted_on = models.DateField(auto_now_add=True)

    def __str__(self) -> str:
        return f"response to {self.survey}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(max_length=2000)

    def __str__(self) -> str:
        return f"answer to {self.question_id}"


class FocusGroup(models.Model):
    """A focus group of mentors or mentees the program runs; who took part is recorded."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="focus_groups")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    program_parents = ("cycle",)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title
