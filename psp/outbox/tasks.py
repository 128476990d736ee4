"""The relay, run by beat every minute: sends what is due from the outbox to the broker."""

from celery import shared_task

from psp.outbox.relay import relay_due


@shared_task(name="psp.outbox.tasks.relay_outbox", acks_late=True)
def relay_outbox() -> int:
    return relay_due()
