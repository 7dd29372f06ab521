import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peers.settings")

application = get_wsgi_application()

from peers.services.crypto import canary_verify  # noqa: E402  (needs the app registry)

canary_verify()
