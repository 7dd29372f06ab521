import logging

from django.utils import timezone

from peers import registry
from peers.models import Heartbeat

SWEEPS_HEARTBEAT = "sweeps"

logger = logging.getLogger(__name__)


def sweeps_run() -> dict[str, object]:
    """Run every registered sweep once. A failing sweep is logged and the others
    still run; the next run retries it, since each sweep works from PostgreSQL state.
    The heartbeat that /healthz reads moves only when every sweep succeeded."""
    results: dict[str, object] = {}
    failed = False
    for name, sweep in registry.sweeps.items():
        try:
            results[name] = sweep()
        except Exception as exc:  # isolate sweeps from each other; logged with traceback
            logger.exception("Sweep %s failed", name)
            results[name] = f"error: {exc}"
            failed = True
    if not failed:
        Heartbeat.objects.update_or_create(name=SWEEPS_HEARTBEAT, defaults={"at": timezone.now()})
    return results
