"""The program in scope for the current request, task or command.

Every tenant-owned query reads the program from here. Outside a scope the default manager
raises, so a forgotten scope fails loudly instead of leaking another program's rows.
"""

from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import NamedTuple


class NoProgramInScope(RuntimeError):
    """Raised when tenant data is queried with no program in scope."""


class _Scope(NamedTuple):
    program_id: int
    # Known when the scope was entered with the Program itself (requests, most commands): links
    # to the program's pages are then built, and dates written (psp/dates.py), without reading
    # the program again.
    slug: str | None
    date_style: str | None = None


_current: ContextVar[_Scope | None] = ContextVar("psp_current_program", default=None)


def _scope_of(program) -> _Scope:
    if isinstance(program, int):
        return _Scope(program, None)
    return _Scope(program.pk, program.slug, getattr(program, "date_style", None))


def enter_scope(program) -> Token:
    """Put `program` (a Program or its id) in scope until `leave_scope(token)`; for the request
    middleware, whose start and end are two calls. Code with one block uses program_scope."""
    return _current.set(_scope_of(program))


def leave_scope(token: Token) -> None:
    _current.reset(token)


def current_program_id() -> int:
    scope = _current.get()
    program_id = scope.program_id if scope else None
    if program_id is None:
        raise NoProgramInScope(
            "No program in scope. Enter one with program_scope(program) or use the "
            "model's all_programs manager for deliberate cross-program work."
        )
    return program_id


def current_program_id_or_none() -> int | None:
    scope = _current.get()
    return scope.program_id if scope else None


def current_program_slug_or_none() -> str | None:
    """The slug of the program in scope, when the scope was entered with the Program."""
    scope = _current.get()
    return scope.slug if scope else None


def current_date_style_or_none() -> str | None:
    """The date style of the program in scope (psp.dates.DateStyle), when it was entered with
    the Program."""
    scope = _current.get()
    return scope.date_style if scope else None


@contextmanager
def program_scope(program):
    """Run the body with `program` (a Program or its id) in scope; restore the outer scope after."""
    token = enter_scope(program)
    try:
        yield
    finally:
        leave_scope(token)


@contextmanager
def no_program_scope():
    """Run the body with no program in scope (used by tests of the fail-closed manager)."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)
