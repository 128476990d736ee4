"""The full stack: a real Celery worker, fed through Redis, runs a program task inside that
program's scope against the same PostgreSQL database.

The rest of the suite runs tasks in-process (tests/conftest.py); this is the one test that
proves the path production uses. CI sets REDIS_URL and DATABASE_URL, so it runs there."""

import os
import secrets
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from psp.accounts.models import Invitation
from psp.accounts.tasks import send_invitation
from psp.celery import app
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs REDIS_URL (a real broker for a real worker); CI sets it",
    ),
    pytest.mark.django_db(transaction=True),  # the worker must see committed rows
]


def test_a_real_worker_sends_an_invitation_inside_its_program_scope(world, other_world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL on PostgreSQL: the worker must share the test database")
    with program_scope(world.program):
        invitation = Invitation.objects.create(
            email="new.coach@example.org",
            role=ProgramRole.COACH,
            token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
            expires_at=timezone.now() + timedelta(days=14),
            invited_by=world.admin,
        )
    # A queue of our own, so no other worker on this Redis takes the tasks.
    queue = f"test-full-stack-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "psp", "worker", "--pool=solo",
             f"--queues={queue}", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=_worker_env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            app.conf.task_always_eager = False
            # First with the other program's id: in that scope the invitation does not exist.
            wrong = send_invitation.apply_async(
                kwargs={"program_id": other_world.program.pk, "invitation_id": invitation.pk},
                queue=queue,
            )
            right = send_invitation.apply_async(
                kwargs={"program_id": world.program.pk, "invitation_id": invitation.pk},
                queue=queue,
            )
            sent_at = _wait_for_sent_at(invitation.pk, worker, log_path)
        finally:
            app.conf.task_always_eager = True
            worker.terminate()
            worker.wait(timeout=30)
            with app.connection_for_write() as broker:
                broker.default_channel.queue_delete(queue)  # and any task left in it
    output = log_path.read_text()
    assert sent_at is not None, output
    # The worker ran both in the scope it was given: nothing to send in the other program.
    assert _result_of(wrong.id, output) == "False", output
    assert _result_of(right.id, output) == "True", output
    # The console email backend prints the message in the worker: one email, to the invitee.
    assert output.count("To: new.coach@example.org") == 1, output


def _worker_env() -> dict[str, str]:
    db = connection.settings_dict  # the test database pytest-django created
    database_url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or ''}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    # As production runs it: no DEBUG, console email, no async-unsafe escape hatch.
    dropped = {"DEBUG", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DATABASE_URL=database_url, SECRET_KEY=secrets.token_urlsafe(50))
    return env


def _wait_for_sent_at(invitation_id, worker, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent_at = Invitation.all_programs.get(pk=invitation_id).sent_at
        if sent_at is not None:
            time.sleep(1)  # let the worker finish logging the task's result
            return sent_at
        if worker.poll() is not None:
            pytest.fail("The worker exited early:\n" + log_path.read_text())
        time.sleep(0.5)
    return None


def _result_of(task_id: str, output: str) -> str | None:
    """The return value the worker logged for a task ("... succeeded in 0.01s: True")."""
    for line in output.splitlines():
        if f"[{task_id}] succeeded in" in line:
            return line.rsplit(": ", 1)[-1].strip()
    return None
