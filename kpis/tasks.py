"""Background work of the KPI app, as Celery finds it (`autodiscover_tasks` imports each app's
`tasks` module): the refresh tasks live in kpis/refresh/tasks.py."""

from kpis.refresh.tasks import refresh_all_kpis, refresh_kpis

__all__ = ["refresh_all_kpis", "refresh_kpis"]
