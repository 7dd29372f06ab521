import zoneinfo

from django.core.exceptions import ValidationError


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"“{value}” is not a time zone we know. Use a name such as America/Toronto.") from None


def validate_email_domain(value: str) -> None:
    if "@" in value or "." not in value or value != value.strip().lower():
        raise ValidationError(f"“{value}” is not a lower-case email domain such as medschool.example.edu.")
