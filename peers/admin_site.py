"""The coordinators' admin site: every page answers only the lookups it declares.

Django's changelist accepts any lookup on a model's own fields as a URL parameter
(`?status_token__regex=^a`, `?requester__isnull=False`), and `?_facets=1` adds exact
counts to every filter. Insiders are the threat model (DESIGN.md 3), so every
ModelAdmin registered on this site, ours and third-party ones (auth, allauth) alike,
is given `StrictLookupsMixin` at registration: a URL lookup is allowed only when it is
one that a declared `list_filter` or `date_hierarchy` itself produces, and facets are
never shown. Anything else answers 400 (`DisallowedModelAdminLookup`), for
coordinators and the superuser alike.
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.filters import SimpleListFilter
from django.contrib.admin.options import ShowFacets
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.urls import path

from peers.numbers import whole_number

# The suffixes Django's own FieldListFilters put after a declared field path.
FILTER_SUFFIXES = frozenset({"", "exact", "isnull", "isempty", "gte", "lt"})
DATE_HIERARCHY_SUFFIXES = ("year", "month", "day")


def declared_lookups(model_admin, request) -> frozenset[str]:
    """The URL parameters the admin's own filters and date hierarchy can produce."""
    allowed: set[str] = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            allowed.add(item.parameter_name)
            continue
        path = item[0] if isinstance(item, (list, tuple)) else item
        if not isinstance(path, str):  # a Field instance
            path = path.name
        allowed |= _field_filter_params(model_admin.model, path)
    if model_admin.date_hierarchy:
        allowed |= {f"{model_admin.date_hierarchy}__{part}" for part in DATE_HIERARCHY_SUFFIXES}
    return frozenset(allowed)


def _field_filter_params(model, path: str) -> set[str]:
    params = {f"{path}__{suffix}" if suffix else path for suffix in FILTER_SUFFIXES}
    try:
        field = get_fields_from_path(model, path)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return params
    if field.is_relation and field.related_model is not None:
        targets = {field.related_model._meta.pk.name, *getattr(field, "to_fields", ())} - {None}
        params |= {f"{path}__{target}__exact" for target in targets}
    return params


class StrictLookupsMixin:
    show_facets = ShowFacets.NEVER

    def lookup_allowed(self, lookup, value, request=None):
        if request is None:
            return False
        return lookup in declared_lookups(self, request) or self._raw_id_popup_lookup(lookup, value)

    def _raw_id_popup_lookup(self, lookup, value) -> bool:
        """The `limit_choices_to` pairs that raw-id popups send: fixed in the models' code."""
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False


def strict(admin_class: type) -> type:
    if issubclass(admin_class, StrictLookupsMixin):
        return admin_class
    return type(admin_class.__name__, (StrictLookupsMixin, admin_class), {"__module__": admin_class.__module__})


class PeersAdminSite(admin.AdminSite):
    site_header = "PEERS coordinators"
    site_title = "PEERS coordinators"
    index_title = "Your programs"

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, strict(admin_class or admin.ModelAdmin), **options)

    def get_urls(self):
        """Django's "view on site" (`r/<content type>/<id>/`) would look up any object of
        any model, registered here or not (unmanaged views included); it answers only for
        models this site shows to this person, and 404 otherwise."""
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(str(pattern.pattern), self.admin_view(self._view_on_site), name="view_on_site")
        return urls

    def _view_on_site(self, request, content_type_id, object_id):
        # Imported here: this module is loaded with INSTALLED_APPS, before any model can be.
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        if whole_number(content_type_id) is None:
            raise Http404("Not found")
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type else None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404("Not found")
        return shortcut(request, content_type_id, object_id)


class PeersAdminConfig(AdminConfig):
    default_site = "peers.admin_site.PeersAdminSite"
