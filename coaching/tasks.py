"""Background work of the coaching app, as Celery finds it: `autodiscover_tasks` imports each
app's `tasks` module, and importing the sub-domains' task modules here registers their tasks.

The tasks live with their sub-domains (coaching/feedback/tasks.py: feedback invitation e-mails;
coaching/caseload/tasks.py: the nightly caseload standings; coaching/dose/tasks.py: the dose
summary). Their names stay
`coaching.tasks.<name>`, as the beat schedule (psp/settings.py) and queued messages know them."""

from coaching.caseload.tasks import refresh_all_caseload_standings, refresh_caseload_standings
from coaching.dose.tasks import rebuild_all_dose, rebuild_program_dose, refresh_practice_dose
from coaching.feedback.tasks import (
    rebuild_all_feedback,
    rebuild_program_feedback,
    send_feedback_invite,
)

__all__ = [
    "rebuild_all_dose",
    "rebuild_all_feedback",
    "rebuild_program_dose",
    "rebuild_program_feedback",
    "refresh_practice_dose",
    "refresh_all_caseload_standings",
    "refresh_caseload_standings",
    "send_feedback_invite",
]
