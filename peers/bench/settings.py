"""The product's settings plus what only the benchmark's server has: a bare 50-row page
to compare against (peers/bench/urls.py) and each response's query count in a header."""

from peers.settings import *  # noqa: F403
from peers.settings import MIDDLEWARE

ROOT_URLCONF = "peers.bench.urls"
MIDDLEWARE = ["peers.bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
