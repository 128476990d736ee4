"""Real services for the full-stack tests: a Redis of the test's own and a Celery worker.

Each test starts its own `redis-server` on a free port, so it can stop the broker (and start it
again) without touching the Redis the rest of the suite and other processes share. The worker is
a real `celery worker` process on the same PostgreSQL test database (the test must be a
transactional one, so the worker sees committed rows), sending email to the console, which its
log keeps for the test to read.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

needs_full_stack = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="full mode only: needs REDIS_URL (a broker for a real worker); CI sets it",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="needs redis-server to start a broker of the test's own",
    ),
    pytest.mark.django_db(transaction=True),  # the worker must see committed rows
]


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL on PostgreSQL: the worker must share the test database")


class Broker:
    """A redis-server of our own, which the test may stop and start again on the same port."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def broker_of_our_own(tmp_path: Path):
    """Point Celery (the app in this process) at a fresh redis-server, and tasks at the broker
    rather than in-process, for the `with` block."""
    from psp.celery import app

    broker = Broker(tmp_path)
    broker.start()
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = broker.url
    app.conf.task_always_eager = False
    _fresh_producer_pool(app)
    try:
        yield broker
    finally:
        _fresh_producer_pool(app, close=True)
        app.conf.broker_url, app.conf.task_always_eager = previous
        broker.stop()


def _fresh_producer_pool(app, *, close: bool = False) -> None:
    """Make Celery connect anew for sending, to the broker now configured. Only our own
    broker's pool is closed (on the way out): the suite's pool stays open, since kombu keeps
    pools per broker for the whole process and hands the same one out again."""
    if close and app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def worker(broker: Broker, log_path: Path, *, concurrency: int = 1, env: dict | None = None):
    """A real Celery worker (prefork) on `broker`, logging (and printing emails) to log_path;
    `env` adds to its environment."""
    env = {**worker_env(broker.url), **(env or {})}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "psp", "worker", "--pool=prefork",
             f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def worker_env(broker_url: str) -> dict[str, str]:
    db = connection.settings_dict  # the test database pytest-django created
    database_url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or ''}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    # As production runs it: no DEBUG, console email, no async-unsafe escape hatch.
    dropped = {"DEBUG", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=broker_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        PYTHONUNBUFFERED="1",
    )
    return env


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


def wait_until(condition, *, timeout: float, what: str, log_path: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    log = log_path.read_text() if log_path and log_path.exists() else ""
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\n{log[-6000:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not listen on port {port}")
