"""The attacker's walk of the admin: every field and relation path, up to two hops, of
every registered model, tried as a changelist lookup by a coordinator and by the
superuser. Only the filters an admin declares may answer; anything else is 400."""

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignObjectRel
from django.urls import reverse

from peers.models import User
from peers.tests.factories import give_totp

pytestmark = pytest.mark.django_db

# Suffixes that no declared filter produces, tried on declared fields.
FORBIDDEN_SUFFIXES = ("regex", "startswith", "contains")


def _paths(model, hops: int = 2, prefix: str = "") -> list[str]:
    """Every field name of `model` and, through relations, of the related models."""
    found = []
    for field in model._meta.get_fields():
        name = field.field.related_query_name() if isinstance(field, ForeignObjectRel) else field.name
        path = f"{prefix}{name}"
        found.append(path)
        if field.is_relation and field.related_model is not None and hops > 1:
            found += _paths(field.related_model, hops - 1, f"{path}__")
    return sorted(set(found))


def _declared_fields(model_admin, request) -> set[str]:
    names = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            names.add(item.parameter_name)
        else:
            names.add(item[0] if isinstance(item, (list, tuple)) else item)
    if model_admin.date_hierarchy:
        names.add(model_admin.date_hierarchy)
    return names


def _admins():
    return sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser("office@example.edu", "long-enough-password")
    give_totp(user)
    return user


@pytest.fixture(params=["coordinator", "superuser"])
def insider(request):
    return request.getfixturevalue(request.param)


def _changelist_refuses(model_admin, rf, user, url, lookup) -> bool:
    """Build the changelist as the admin's view does for this URL (its filters, its
    queryset); the view answers 400 when this raises DisallowedModelAdminLookup."""
    request = rf.get(url, {lookup: "1"})
    request.user = user
    try:
        model_admin.get_changelist_instance(request)
    except DisallowedModelAdminLookup:
        return True
    except IncorrectLookupParameters:
        return False  # accepted as a lookup, only its value was wrong
    return False


@pytest.mark.parametrize("model", [model for model, _ in _admins()], ids=lambda model: model._meta.label)
def test_every_undeclared_lookup_is_refused(client, rf, insider, model):
    model_admin = admin.site._registry[model]
    client.force_login(insider)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    if client.get(url).status_code != 200:
        return  # this person cannot open the list at all: nothing to filter
    # End to end once: the page itself answers 400.
    assert client.get(url, {"pk__regex": "."}).status_code == 400
    fake = rf.get(url)
    fake.user = insider
    declared = _declared_fields(model_admin, fake)
    accepted = []
    for path in _paths(model):
        if path in declared:
            tried = [f"{path}__{suffix}" for suffix in FORBIDDEN_SUFFIXES]
        else:
            tried = [f"{path}__isnull", path]
        accepted += [lookup for lookup in tried if not _changelist_refuses(model_admin, rf, insider, url, lookup)]
    assert accepted == [], f"{model._meta.label} accepted undeclared lookups: {accepted[:10]}"


def test_declared_filters_still_work(client, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:peers_membership_changelist")
    assert client.get(url, {"role__exact": "trainee"}).status_code == 200
    assert client.get(url, {"role__regex": "^t"}).status_code == 400


def test_facet_counts_are_never_shown(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:peers_membership_changelist"), {"_facets": "1"}).content.decode()
    assert "Hide counts" not in page and "Show counts" not in page


def test_the_user_list_cannot_be_narrowed_to_people_with_support_requests(client, superuser, coordinator):
    for person in (superuser, coordinator):
        client.force_login(person)
        url = reverse("admin:peers_user_changelist")
        for lookup in ("support_requests__isnull", "support_requests__status", "supporter_profile__isnull"):
            assert client.get(url, {lookup: "False"}).status_code == 400


def test_view_on_site_answers_only_for_models_the_admin_shows(client, superuser, trainee):
    client.force_login(superuser)
    for label in ("support_requests.supportrequest", "pghistory.events", "sessions.session"):
        app_label, model = label.split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is not None:
            assert client.get(f"/admin/r/{content_type.pk}/1/").status_code == 404
    assert client.get("/admin/r/not-a-number/1/").status_code == 404
