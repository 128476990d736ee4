"""Background work of the compliance app, as Celery finds it (`autodiscover_tasks` imports each
app's `tasks` module): checklist scheduling lives in compliance/schedules/tasks.py."""

from compliance.schedules.tasks import schedule_all_checklists, schedule_checklists

__all__ = ["schedule_all_checklists", "schedule_checklists"]
