"""Background work of the cpd app, as Celery finds it (`autodiscover_tasks` imports each app's
`tasks` module): the stored CPD standings live in cpd/progress/tasks.py."""

from cpd.progress.tasks import rebuild_all_cpd_standings, rebuild_cpd_standings

__all__ = ["rebuild_all_cpd_standings", "rebuild_cpd_standings"]
