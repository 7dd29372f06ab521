"""Every URL pattern of the project is a page some role journey opens in the browser
(peers/tests/journeys.py, walked by test_browser_roles.py) or is excluded with its reason.
A new page fails here, naming itself, until it is put on a journey or given a reason."""

from django.urls import URLPattern, URLResolver, get_resolver

from peers.tests.journeys import EXCLUDED, JOURNEYS, visited

# Whole parts of the URL tree left out, by the module their views come from, each with why.
EXCLUDED_MODULES = {
    # Django's admin: hundreds of generated change lists and forms. The coordinator's journey
    # opens its index, a change list and an add form, which share every template.
    "django.contrib.admin": "the admin's generated pages, sampled by the coordinator's journey",
    "django.views.generic.base": "the admin's redirects from an old object address",
    # allauth's account pages. Sign-in and the two-factor step open every journey; the rest
    # (e-mail, password, recovery codes, sessions) are allauth's own templates under our layout.
    "allauth": "allauth's account pages; its sign-in and two-factor step are on every journey",
}


def _patterns(resolver=None, namespace: str = ""):
    """(URL name, view module, route) of every pattern, namespaces joined like reverse() wants."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, getattr(entry.callback, "__module__", ""), str(entry.pattern)


def _ours():
    for name, module, route in _patterns():
        if name and name.startswith("admin:") or any(module.startswith(m) for m in EXCLUDED_MODULES):
            continue
        yield name, route


def test_every_page_is_on_a_journey_or_excluded_with_a_reason():
    accounted = visited() | set(EXCLUDED)
    missing = [f"{name} ({route})" for name, route in _ours() if name not in accounted]
    assert not missing, (
        "Pages on no role journey: add each to a journey in peers/tests/journeys.py, or to EXCLUDED there "
        "with the reason it is not measured:\n  " + "\n  ".join(missing)
    )


def test_a_page_is_never_both_on_a_journey_and_excluded():
    assert not visited() & set(EXCLUDED), "on a journey and excluded too: " + ", ".join(visited() & set(EXCLUDED))


def test_the_journeys_and_exclusions_name_only_pages_that_exist():
    names = {name for name, _module, _route in _patterns()}
    unknown = sorted((visited() | set(EXCLUDED)) - names)
    assert not unknown, "no such URL name: " + ", ".join(unknown)
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_every_role_has_a_journey():
    assert set(JOURNEYS) >= {"trainee", "facilitator", "mentor", "faculty", "supporter", "lead", "coordinator"}
