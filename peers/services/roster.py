from dataclasses import dataclass

import tablib
from import_export.results import Result

from peers.models import User
from peers.resources import MembershipResource
from peers.selectors import programs_coordinated_by

REQUIRED_COLUMNS = ("email", "program", "role")


@dataclass(frozen=True)
class RosterProblem:
    line: int
    column: str
    message: str


def roster_import(*, actor: User, csv_text: str, dry_run: bool = False) -> tuple[Result, list[RosterProblem]]:
    """Import a roster CSV for the programs `actor` coordinates. All or nothing: if
    any row is bad, nothing is saved and the problems name line and column (line 1
    is the header)."""
    dataset = tablib.Dataset().load(csv_text, format="csv")
    missing = [column for column in REQUIRED_COLUMNS if column not in (dataset.headers or [])]
    if missing:
        return Result(), [
            RosterProblem(
                line=1,
                column=column,
                message=f"The file has no “{column}” column. The first line must "
                f"name the columns: {', '.join(MembershipResource.Meta.fields)}.",
            )
            for column in missing
        ]
    resource = MembershipResource(allowed_programs=programs_coordinated_by(actor), office=actor.is_superuser)
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True, raise_errors=False)
    return result, roster_problems(result, resource)


def roster_problems(result: Result, resource: MembershipResource) -> list[RosterProblem]:
    columns = {field.attribute: field.column_name for field in resource.fields.values()}
    problems = [
        RosterProblem(line=invalid.number + 1, column=columns.get(column, column), message=message)
        for invalid in result.invalid_rows
        for column, messages in invalid.error_dict.items()
        for message in messages
    ]
    problems += [
        RosterProblem(line=number + 1, column="", message=str(error.error))
        for number, errors in result.row_errors()
        for error in errors
    ]
    return sorted(problems, key=lambda p: (p.line, p.column))
