"""Tasks the outbox tests send: one that works, one that fails for a passing reason the first
times, one with a bug. Each records what happened in module-level lists the tests reset."""

from psp.tenancy.scope import current_program_id
from psp.tenancy.tasks import program_task

runs: list[tuple[int, str, int | None]] = []
failures: list[dict] = []
transient_failures_left = {"count": 0}


def reset() -> None:
    runs.clear()
    failures.clear()
    transient_failures_left["count"] = 0


@program_task
def note_visit_summary(*, program_id: int, note: str) -> str:
    # The program in scope while the body runs, to show the task ran inside its program.
    runs.append((program_id, note, current_program_id()))
    return note


@program_task
def email_with_flaky_server(*, program_id: int, note: str) -> str:
    if transient_failures_left["count"] > 0:
        transient_failures_left["count"] -= 1
        raise ConnectionError("mail server unreachable")
    runs.append((program_id, note, current_program_id()))
    return note


def remember_failure(*, program_id: int, error: str, **ids) -> None:
    failures.append(
        {"program_id": program_id, "error": error, "ids": ids, "scope": current_program_id()}
    )


@program_task(on_failure=remember_failure)
def report_with_a_bug(*, program_id: int, note: str) -> str:
    raise ValueError(f"no section named {note}")
