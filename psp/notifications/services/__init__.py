"""Writes of the notifications app: recording what is due once and delivering it
(`recording.py`), marking read and choosing deliveries (`reading.py`), and the emails, at once
or in the daily digest (`emails.py`). Views, the API, tasks and commands call these."""

from psp.notifications.services.emails import (
    digest_send,
    digests_send_due,
    notification_email_send,
)
from psp.notifications.services.reading import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
    notifications_recount,
)
from psp.notifications.services.recording import (
    RuleFailed,
    notifications_scan,
    notify,
    recorded_as_delivered,
    reminders_run,
)

__all__ = [
    "RuleFailed",
    "digest_send",
    "digests_send_due",
    "notification_email_send",
    "notification_mark_read",
    "notification_preferences_set",
    "notifications_mark_all_read",
    "notifications_recount",
    "notifications_scan",
    "notify",
    "recorded_as_delivered",
    "reminders_run",
]
