"""Departments become a list per institution, made from what supporters typed.

1. Each supporter profile's typed department becomes (or joins) a Department of its
   program's institution; two spellings of the same department ("Surgery", "Dept. of
   surgery") become one, named as first typed. The typed text stays on the profile.
2. A request whose requester typed a department is linked to the department with the
   same key, where there is one. Requesters' typed text never creates a department (the
   list is shown to everyone on the form). The typed text stays on the request, and the
   matching still compares it, so no exclusion a requester asked for is lost."""

import re

from django.db import migrations


def _key(name):
    text = re.sub(r"[^\w\s]", " ", (name or "").casefold())
    return " ".join(w for w in text.split() if w not in {"department", "dept", "of", "the"})


def forwards(apps, schema_editor):
    Department = apps.get_model("support_requests", "Department")
    SupporterProfile = apps.get_model("support_requests", "SupporterProfile")
    SupportRequest = apps.get_model("support_requests", "SupportRequest")
    known = {}  # (institution id, key) -> department
    for department in Department.objects.all():
        known[(department.institution_id, _key(department.name))] = department
    for profile in SupporterProfile.objects.select_related("program").exclude(department="").order_by("pk"):
        key = (profile.program.institution_id, _key(profile.department))
        if not key[1]:
            continue
        if key not in known:
            known[key] = Department.objects.create(institution_id=key[0], name=profile.department.strip()[:120])
        profile.home_department = known[key]
        profile.save(update_fields=["home_department"])
    for request in SupportRequest.objects.select_related("program").filter(purged_at__isnull=True).order_by("pk"):
        department = known.get((request.program.institution_id, _key(request.requester_department)))
        if request.requester_department and department is not None:
            request.department_picked = str(department.pk)
            request.save(update_fields=["department_picked"])


class Migration(migrations.Migration):
    dependencies = [("support_requests", "0010_requester_way_back_and_departments")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
