"""Roster CSV import and export (django-import-export).

Columns: email, name, program, role, starts_on, ends_on, class_year, pgy, is_md_phd,
learning_community. A row is identified by (email, program, role): importing the
same file twice changes nothing. A file with any bad row imports nothing, and the
page names the line and the column. Coordinators can import only into their own
programs.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from import_export import fields, resources, widgets

from peers.models import LearningCommunity, Membership, TrainingProgram, User
from peers.models.programs import CONFIDENTIAL_ROLES, OFFICE_GRANTED_ROLES
from peers.numbers import whole_number

# A roster line's columns after the person's email and name; the admin's Membership list
# and form show the same, in the same order.
MEMBERSHIP_COLUMNS = ("program", "role", "starts_on", "ends_on", "class_year", "pgy", "is_md_phd", "learning_community")

_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"", "0", "false", "no", "n"}


class UserByEmailWidget(widgets.Widget):
    """Finds the person by email; a new address becomes a new, unsaved user that is
    saved together with the membership."""

    def clean(self, value, row=None, **kwargs):
        email = (value or "").strip().lower()
        if not email:
            raise ValueError("Email is required.")
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"“{email}” is not a valid email address.") from None
        return User.objects.filter(email__iexact=email).first() or User(email=email)

    def render(self, value, obj=None, **kwargs):
        return value.email if value else ""


class ProgramWidget(widgets.Widget):
    def __init__(self, allowed: QuerySet):
        super().__init__()
        self.allowed = allowed

    def clean(self, value, row=None, **kwargs):
        name = (value or "").strip()
        if not name:
            raise ValueError("Program is required.")
        matches = list(self.allowed.filter(name__iexact=name)[:2])
        if not matches:
            raise ValueError(f"There is no program named “{name}” that you coordinate.")
        if len(matches) > 1:
            raise ValueError(f"More than one program is named “{name}”; rename one of them first.")
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class LearningCommunityWidget(widgets.Widget):
    def __init__(self, allowed: QuerySet | None = None):
        super().__init__()
        self.allowed = allowed if allowed is not None else TrainingProgram.objects.all()

    def clean(self, value, row=None, **kwargs):
        name = (value or "").strip()
        if not name:
            return None
        community = LearningCommunity.objects.filter(
            name__iexact=name,
            program__in=self.allowed.filter(name__iexact=(row or {}).get("program", "").strip()),
        ).first()
        if community is None:
            raise ValueError(f"The program has no learning community named “{name}”.")
        return community

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class WholeNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        if (number := whole_number(text)) is None:
            raise ValueError(f"Use a whole number (got “{value}”).")
        return number


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"Use yes or no (got “{value}”).")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class MembershipResource(resources.ModelResource):
    email = fields.Field(attribute="user", column_name="email", widget=UserByEmailWidget())
    name = fields.Field(attribute="user__name", column_name="name", readonly=True)
    program = fields.Field(attribute="program", column_name="program")
    role = fields.Field(attribute="role", column_name="role")
    starts_on = fields.Field(attribute="starts_on", column_name="starts_on", widget=widgets.DateWidget("%Y-%m-%d"))
    ends_on = fields.Field(attribute="ends_on", column_name="ends_on", widget=widgets.DateWidget("%Y-%m-%d"))
    class_year = fields.Field(attribute="class_year", column_name="class_year", widget=WholeNumberWidget())
    pgy = fields.Field(attribute="pgy", column_name="pgy", widget=WholeNumberWidget())
    is_md_phd = fields.Field(attribute="is_md_phd", column_name="is_md_phd", widget=YesNoWidget())
    learning_community = fields.Field(
        attribute="learning_community", column_name="learning_community", widget=LearningCommunityWidget()
    )

    class Meta:
        model = Membership
        fields = ("email", "name", *MEMBERSHIP_COLUMNS)
        export_order = fields
        import_id_fields = ("email", "program", "role")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, allowed_programs: QuerySet | None = None, office: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.office = office
        self.allowed_programs = allowed_programs if allowed_programs is not None else TrainingProgram.objects.all()
        self.fields["program"].widget = ProgramWidget(self.allowed_programs)
        self.fields["learning_community"].widget = LearningCommunityWidget(self.allowed_programs)

    def import_data(self, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(*args, **kwargs)

    def get_instance(self, instance_loader, row):
        # A malformed key column is reported by field validation, with its column name.
        try:
            user = self.fields["email"].clean(row)
            program = self.fields["program"].clean(row)
        except ValueError:
            return None
        if user.pk is None:
            return None
        return Membership.objects.filter(user=user, program=program, role=(row.get("role") or "").strip()).first()

    def import_instance(self, instance, row, **kwargs):
        """Field errors are raised by super() with their column names. A new person
        is saved here, inside the import's transaction, which rolls back if any row
        of the file is bad. A coordinator cannot grant the office's roles, touch a
        staff account, or rename someone who also belongs to programs they don't run."""
        super().import_instance(instance, row, **kwargs)
        self._check_scope(instance)
        user, name = instance.user, (row.get("name") or "").strip()
        renamable = (
            self.office or not user.pk or not user.memberships.exclude(program__in=self.allowed_programs).exists()
        )
        if user.pk is None or (name and user.name != name and renamable):
            user.name = name or user.name
            user.save()
            instance.user = user
            instance._user_changed = True

    def _check_scope(self, instance) -> None:
        if instance.role in CONFIDENTIAL_ROLES:
            raise ValidationError(
                {
                    "role": f"The well-being office grants the role “{instance.role}” only as a role grant, which "
                    "one office administrator proposes and another approves (admin → Role grants). "
                    "Remove this line from the file."
                }
            )
        if self.office:
            return
        errors = {}
        if instance.role in OFFICE_GRANTED_ROLES:
            errors["role"] = f"Only the well-being office grants the role “{instance.role}”."
        if instance.user.pk and (instance.user.is_staff or instance.user.is_superuser):
            errors["user"] = "This address belongs to a staff account, which the well-being office manages."
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.user_id is None:  # a new person is saved only once the rest of the row is valid
            errors.setdefault("user", [])
        super().validate_instance(instance, errors, validate_unique)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if getattr(instance, "_user_changed", False):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def export(self, queryset=None, **kwargs):
        queryset = queryset if queryset is not None else Membership.objects.all()
        queryset = queryset.filter(program__in=self.allowed_programs).select_related(
            "user", "program", "learning_community"
        )
        return super().export(queryset=queryset, **kwargs)
