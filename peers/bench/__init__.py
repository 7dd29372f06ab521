"""`make bench`: the benchmark (python -m peers.bench; see __main__.py and the README).

Nothing here is loaded by the product: the benchmark's server runs with
DJANGO_SETTINGS_MODULE=peers.bench.settings, which adds the bare page and the
query-count header on top of the product's settings.
"""
