"""Test helpers for the apps' program settings (peers.registry.register_program_settings).

- `admin_change_data(response)`: what an admin change page would post back unchanged
  (its form, every inline and their management forms), for a test to change one value;
- `apps_before_the_move(...)`: stands in for the migration state in which the settings
  were still columns of TrainingProgram, so a test can run an app's data migration
  function on rows it chooses.
"""

from types import SimpleNamespace

from django import forms
from django.db import models


def admin_change_data(response) -> dict[str, str | list[str]]:
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def _form_data(form: forms.BaseForm) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or (isinstance(field, forms.BooleanField) and not value):
            continue  # how a browser posts an empty value or an unticked box: not at all
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(item) for item in value]
        else:
            data[form.add_prefix(name)] = "on" if isinstance(field, forms.BooleanField) else str(value)
    return data


class _OldProgramRows:
    """The historical TrainingProgram's manager: `values(...)` of the rows given."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def values(self, *fields: str) -> list[dict]:
        return [{field: row[field] for field in fields} for row in self.rows]


def apps_before_the_move(*, programs: list[dict], settings_model: type[models.Model]) -> SimpleNamespace:
    """`apps` for a data migration: TrainingProgram holds `programs` (dicts with "pk" and
    the old columns); the settings model is the real one, writing to the test database."""
    found = {
        "TrainingProgram": SimpleNamespace(objects=_OldProgramRows(programs)),
        settings_model.__name__: settings_model,
    }
    return SimpleNamespace(get_model=lambda app_label, model_name: found[model_name])
