"""Requests at the same moment, each on its own database connection: the races that two
gunicorn workers can run into. Only PostgreSQL has the row locks and the concurrent writers
these tests are about (SQLite writes one at a time), so they skip elsewhere."""

import threading

import pytest
from django.db import connection, connections

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections writing at once need PostgreSQL (DATABASE_URL); CI runs them",
)


def run_together(*calls):
    """Run each call in a thread of its own (Django gives each thread its own connection),
    released together by a barrier; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if failures:
        raise failures[0]
    return results
