import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peers.settings")

app = Celery("peers")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_start_with_wrong_key(**_kwargs) -> None:
    # Imported here: peers/__init__.py loads this module before Django is set up, and the
    # crypto service needs the app registry.
    from peers.services.crypto import canary_verify

    canary_verify()
