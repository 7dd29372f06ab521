from celery import shared_task

from peers.services.notifications import Delivery, notification_backoff, notification_deliver, notifications_drain
from peers.services.sweeps import sweeps_run


@shared_task(bind=True, max_retries=None)
def notification_deliver_task(self, notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id)
    if outcome == Delivery.RETRY:
        raise self.retry(countdown=notification_backoff(self.request.retries + 1).total_seconds(), max_retries=7)
    return outcome


@shared_task
def sweeps_run_task() -> dict:
    return {name: str(result) for name, result in sweeps_run().items()}


@shared_task
def notifications_drain_task() -> int:
    """Work through a notification backlog for 20 s, then queue the rest behind
    whatever else waits (the sweeps), so a backlog never starves them."""
    sent, more = notifications_drain(seconds=20)
    if more:
        notifications_drain_task.delay()
    return sent
