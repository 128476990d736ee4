"""Calling the visit services from tests, whose arguments spell the visit's own fields flat."""

from dataclasses import fields

from coaching.visits.inputs import VisitInput

INPUT_FIELDS = frozenset(item.name for item in fields(VisitInput))


def with_input(arguments: dict) -> dict:
    """`arguments` of services.visit_log or visit_complete with the visit's own fields gathered
    into the one VisitInput the services take (`visit`)."""
    own = {name: value for name, value in arguments.items() if name in INPUT_FIELDS}
    rest = {name: value for name, value in arguments.items() if name not in INPUT_FIELDS}
    return {**rest, "visit": VisitInput(**own)}
