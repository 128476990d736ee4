"""Periodic work of the apps that the embedded mode's cron command runs (`manage.py
send_reminders`: there is no beat there). In the full mode beat runs each job on its own
schedule (psp/settings.py); here an app also registers it, from its AppConfig.ready, so the
one cron line does everything that is due. The core names no app: apps come to it.

A job is `fn(*, program) -> int` (how many things it made), run inside the program's scope
before the program's reminders are looked for, so a reminder can be about what it made."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    label: str  # what the command prints: "checklists made"
    run: Callable[..., int]


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(label: str, run: Callable[..., int]) -> None:
    _jobs[label] = PeriodicJob(label, run)


def periodic_jobs() -> list[PeriodicJob]:
    return list(_jobs.values())
