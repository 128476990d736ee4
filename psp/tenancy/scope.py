"""The program in scope for the current request, task or command.

Every tenant-owned query reads the program from here. Outside a scope the default manager
raises, so a forgotten scope fails loudly instead of leaking another program's rows.
"""

from contextlib import contextmanager
from contextvars import ContextVar


class NoProgramInScope(RuntimeError):
    """Raised when tenant data is queried with no program in scope."""


_current_program_id: ContextVar[int | None] = ContextVar("psp_current_program_id", default=None)


def current_program_id() -> int:
    program_id = _current_program_id.get()
    if program_id is None:
        raise NoProgramInScope(
            "No program in scope. Enter one with program_scope(program) or use the "
            "model's all_programs manager for deliberate cross-program work."
        )
    return program_id


def current_program_id_or_none() -> int | None:
    return _current_program_id.get()


@contextmanager
def program_scope(program):
    """Run the body with `program` (a Program or its id) in scope; restore the outer scope after."""
    program_id = program if isinstance(program, int) else program.pk
    token = _current_program_id.set(program_id)
    try:
        yield
    finally:
        _current_program_id.reset(token)


@contextmanager
def no_program_scope():
    """Run the body with no program in scope (used by tests of the fail-closed manager)."""
    token = _current_program_id.set(None)
    try:
        yield
    finally:
        _current_program_id.reset(token)
