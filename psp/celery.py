"""The Celery app. Without REDIS_URL tasks run in-process (eager); with it, a worker runs them."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psp.settings")

app = Celery("psp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
