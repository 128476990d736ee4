"""A harmless task for checking a running stack: does a worker pick up program tasks, and does it
run them inside the program's scope? See README.md, "The full stack without Docker"."""

import logging

from django.apps import apps

from psp.tenancy.tasks import program_task

logger = logging.getLogger(__name__)


@program_task(max_retries=0)
def worker_check(*, program_id: int) -> int:
    """Log and return how many practices the program has. The count goes through the scoped
    manager, so it raises unless the worker really entered the program's scope."""
    count = apps.get_model("practices", "Practice").objects.count()
    logger.info("Worker check: program %s has %s practices", program_id, count)
    return count
