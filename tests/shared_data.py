"""Data built once and shared by many tests: the persona worlds, the seeded demo...

Building a world (two programs x six roles, practices, memberships) for each of the thousands of
tests that ask for one was most of the suite's time. Instead, each pytest process keeps one
*slot*: an open transaction holding the shared data the current test asks for. Each test runs in
a savepoint inside it (pytest-django's `db`, Django's TestCase), so whatever the test changes is
rolled back and the next test that asks for the same data finds it as built. The slot is rolled
back when a test asks for different shared data (then it is built anew for that test), when a
test uses the database without any shared data (it sees an empty database, as before), before
every transactional test (`django_db(transaction=True)`, the live server: they commit, and other
connections must see what they commit, so they build their own data per test) and at the end of
the session.

A test never gets the slot's objects themselves, only a deep copy: a test that changes an object
in memory (not in the database) leaves the next test the object as built.

Where the slot cannot be used (no database access yet, another fixture's transaction is open),
the shared fixtures build their data for the test alone, exactly as before; only slower.

To share data, decorate its builder with `shared_fixture`: that makes a function-scoped fixture
of the builder's name (or `name=`) that needs `db`. Builders take no arguments and run with the
suite's fast password hasher, outside any program scope.
"""

import copy
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# By key (the builder's module and name): how to build each shared fixture's data.
BUILDERS: dict[str, Callable[[], object]] = {}


def shared_fixture(builder: Callable[[], object] | None = None, *, name: str | None = None):
    """A fixture whose data is built once in the slot and copied for each test."""

    def make(builder: Callable[[], object]):
        key = f"{builder.__module__}.{builder.__qualname__}"
        BUILDERS[key] = builder

        def fixture(db, shared_data):
            return shared_data.value(key)

        fixture.shared_key = key
        fixture.__doc__ = builder.__doc__
        return pytest.fixture(fixture, name=name or builder.__name__)

    return make(builder) if builder is not None else make


def wanted_by(item) -> tuple[str, ...]:
    """The shared fixtures a test uses, directly or through other fixtures, in closure order."""
    keys = []
    for name in item.fixturenames:
        definitions = item._fixtureinfo.name2fixturedefs.get(name)
        key = getattr(definitions[-1].func, "shared_key", None) if definitions else None
        if key is not None and key not in keys:
            keys.append(key)
    return tuple(keys)


def is_transactional(request) -> bool:
    """As pytest-django decides between TransactionTestCase and TestCase (_django_db_helper)."""
    marker = request.node.get_closest_marker("django_db")
    if marker:
        transaction_ = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        reset = marker.kwargs.get("reset_sequences", False)
        if transaction_ or reset:
            return True
    names = request.fixturenames
    return any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


class Slot:
    """One open transaction holding the shared data of the tests running now (see above)."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.connection = None  # the connection the slot's transaction is open on
        self.key: tuple[str, ...] = ()
        self.values: dict[str, object] = {}
        self.builds = 0  # how many times shared data was built in the slot (for the summary)

    def prepare(self, request) -> None:
        """Called just before pytest-django opens the test's own transaction."""
        if self.atomic is not None and not self._intact():
            # Someone rolled back or closed the connection under us, or the code now sees
            # another connection object: Playwright's sync API runs an event loop in this
            # thread, and Django keeps a connection per context, so after a browser test starts
            # `connection` may not be the one holding the slot. Close that one: left open, its
            # transaction would hold locks that a transactional test's flush waits on forever.
            self._abandon()
        if is_transactional(request):
            self.close()
            return
        key = wanted_by(request.node)
        if key == self.key and self.atomic is not None:
            return
        self.close()
        if key:
            self._open(key)

    def value(self, name: str):
        if name in self.values:
            return copy.deepcopy(self.values[name])
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            return BUILDERS[name]()

    def close(self) -> None:
        if self.atomic is None:
            return
        if self.connection is not connection._connections[connection._alias]:
            self._abandon()  # the slot is on a connection this context no longer sees
            return
        with self.blocker.unblock():
            if not self._intact():
                raise RuntimeError(
                    "another transaction is open inside the shared-data slot "
                    "(tests/shared_data.py): a module or session fixture that opens its own "
                    "transaction should register a shared builder instead"
                )
            transaction.set_rollback(True)
            atomic, self.atomic = self.atomic, None
            atomic.__exit__(None, None, None)
        self._forget()

    def _open(self, key: tuple[str, ...]) -> None:
        with self.blocker.unblock():
            if connection.in_atomic_block:
                return  # another fixture's transaction: each test builds its own data
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                    values = {name: BUILDERS[name]() for name in key}
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        self.atomic, self.key, self.values = atomic, key, values
        self.connection = connection._connections[connection._alias]
        self.builds += 1

    def _abandon(self) -> None:
        held, self.connection, self.atomic = self.connection, None, None
        if held is not None and held is not connection._connections[connection._alias]:
            with self.blocker.unblock():
                held.close()
        self._forget()

    def _intact(self) -> bool:
        blocks = connection.atomic_blocks
        return connection.in_atomic_block and bool(blocks) and blocks[-1] is self.atomic

    def _forget(self) -> None:
        self.key = ()
        self.values = {}
