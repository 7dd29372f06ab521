"""The apps' program settings, as the core sees them: through the registry only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from peers import registry
from peers.admin_scoping import ProgramSettingsInline
from peers.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_each_apps_settings_row_is_made_with_the_program_and_shown_on_its_admin_page(client, coordinator, program):
    settings_rows = [i for i in registry.program_inlines if issubclass(i, ProgramSettingsInline)]
    assert len(settings_rows) == 3  # sessions, mentoring, support (support's hours and holidays are lists)
    for inline in settings_rows:
        assert inline.model.objects.filter(program=ProgramFactory()).count() == 1
    for inline in registry.program_inlines:
        assert not admin.site.is_registered(inline.model)  # reached only through the program's page
    client.force_login(coordinator)
    response = client.get(reverse("admin:peers_trainingprogram_change", args=[program.pk]))
    shown = [formset.opts.model for formset in response.context["inline_admin_formsets"]]
    assert shown[1:] == [inline.model for inline in registry.program_inlines]
    assert all(
        formset.formset.initial_form_count() == 1
        for formset in response.context["inline_admin_formsets"][1:]
        if issubclass(type(formset.opts), ProgramSettingsInline)
    )
