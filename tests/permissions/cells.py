"""What the page and API permission tests share: parsing their literal tables, the objects each
row acts on, and what "allowed" and "refused" mean for a request.

A table row is `route method target admin manager coach lead staff`, each role's cell one of
`ok` (allowed: the page or endpoint answers and, for a write, something changed), `403` (sees it
but may not act: nothing changed) or `404` (out of reach: nothing changed).
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.forms.models import model_to_dict

from practices.services import PROFILE_FIELDS
from psp.accounts.models import ApiToken
from psp.notifications.registry import Kind, registry
from psp.tenancy.scope import program_scope
from tests.factories import NotificationFactory, PracticeMembershipFactory, UserFactory
from tests.permissions import (
    cells_assessments,
    cells_coaching,
    cells_compliance_instances,
    cells_compliance_templates,
    cells_cpd_activities,
    cells_cpd_claims,
    cells_cpd_schemes,
    cells_evidence,
    cells_kpi_definitions,
    cells_pdsa,
    cells_reports,
    cells_values,
)
from tests.tenancy.builders import failed_task, invitation_in, snapshot

ROLES = ("admin", "manager", "coach", "lead", "staff")
# A kind of notification to choose a delivery for on the settings rows, whatever kinds the apps
# register (tests/permissions/conftest.py puts it in the registry for these tests).
CELL_KIND = Kind(code="cell_reminder", label="A reminder", description="For the permission tests.")
SAFE = ("GET",)


def parse(table: str) -> list:
    """pytest params (route, method, target, role, cell), one per role per row."""
    params = []
    for line in table.strip().splitlines():
        route, method, target, *cells = line.split()
        assert len(cells) == len(ROLES), line
        for role, cell in zip(ROLES, cells, strict=True):
            assert cell in ("ok", "403", "404"), line
            params.append(
                pytest.param(
                    route, method, target, role, cell, id=f"{route}-{method}-{target}-{role}"
                )
            )
    return params


@dataclass
class Target:
    """The URL kwargs and the body of one request."""

    kwargs: dict
    body: dict


def profile(practice, **changes) -> dict:
    data = model_to_dict(practice, fields=PROFILE_FIELDS) | changes
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def new_token(world, user) -> ApiToken:
    key, lookup, key_hash = ApiToken.new_key()
    with program_scope(world.program):
        token = ApiToken.objects.create(user=user, name="Cell", lookup=lookup, key_hash=key_hash)
    token.key = key
    return token


def target(world, user, name: str, route: str) -> Target:
    """The objects a row's `target` names, created where the world does not have them."""
    if cells_cpd_claims.handles(route):  # before the activities' rows: cpd-activities-import
        aim = cells_cpd_claims.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_cpd_activities.handles(route):
        aim = cells_cpd_activities.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_compliance_instances.handles(route):
        aim = cells_compliance_instances.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_pdsa.handles(route):
        aim = cells_pdsa.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_coaching.handles(route) or name in cells_coaching.TARGETS:
        aim = cells_coaching.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_reports.handles(route):
        aim = cells_reports.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_evidence.handles(route):
        aim = cells_evidence.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_assessments.handles(route):
        aim = cells_assessments.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_kpi_definitions.handles(route):
        aim = cells_kpi_definitions.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_values.handles(route):
        aim = cells_values.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_cpd_schemes.handles(route):
        aim = cells_cpd_schemes.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    if cells_compliance_templates.handles(route):
        aim = cells_compliance_templates.target(world, user, name, route)
        return Target(aim.kwargs, aim.body)
    w = world
    program = w.program
    if name == "-":
        return Target({}, {})
    if name == "tiles":  # a table of the KPI dashboard, downloaded as CSV
        return Target({"table": "tiles"}, {})
    if name in ("theirs", "other"):
        practice = w.practice if name == "theirs" else w.other_practice
        with program_scope(program):
            assignment = practice.coach_assignments.first()
            membership = practice.memberships.filter(role="staff").first()
            if membership is None:
                membership = PracticeMembershipFactory(
                    program=program, practice=practice, user=UserFactory(), role="staff"
                )
        unassigned_coach = w.other_coach if name == "theirs" else w.coach
        if "coach_unassign" in route or route.startswith("coach-assignments"):
            kwargs = {"practice_pk": practice.pk, "coachassignment_pk": assignment.pk}
            if route.startswith("coach-assignments"):
                kwargs = {"pk": assignment.pk}
            return Target(kwargs, {})
        if route in ("practices:invitation_resend", "practices:invitation_revoke"):
            with program_scope(program):
                invitation = invitation_in(w, practice=practice)
            return Target({"practice_pk": practice.pk, "invitation_pk": invitation.pk}, {})
        if "member_remove" in route or route.startswith("practice-memberships"):
            kwargs = {"practice_pk": practice.pk, "practicemembership_pk": membership.pk}
            if route.startswith("practice-memberships"):
                kwargs = {"pk": membership.pk}
            return Target(kwargs, {})
        body = {
            "practices:edit": profile(practice, region="Hijacked Valley"),
            "practices-detail": profile(practice, region="East Valley"),
            "practices:stage_move": {"to_stage": "pilot", "note": "Agreed with the lead"},
            "practices-stage": {"stage": "pilot", "note": "Agreed with the lead"},
            "practices:coach_assign": {"coach": unassigned_coach.pk},
        }.get(route, {})
        return Target({"pk": practice.pk}, body)
    if name in ("member", "inactive"):
        with program_scope(program):
            membership = w.other_coach.program_memberships.get()
            if name == "inactive":
                membership.is_active = False
                membership.save()
        kwarg = "programmembership_pk" if ":" in route else "pk"
        return Target({kwarg: membership.pk}, {"role": "manager"})
    if name == "invitation":
        with program_scope(program):
            invitation = invitation_in(w)
        kwarg = "invitation_pk" if ":" in route else "pk"
        return Target({kwarg: invitation.pk}, {})
    if name == "failed_task":
        with program_scope(program):
            return Target({"pk": failed_task(w).pk}, {})
    if name in ("own_notification", "someone_elses_notification"):
        # An unread notification of the caller's own, or of someone else (404 whatever the role).
        person = user if name == "own_notification" else w.other_coach
        notification = NotificationFactory(program=program, recipient=person)
        kwargs = {} if route.endswith(("read_all", "read-all")) else {"pk": notification.pk}
        return Target(kwargs, {})
    if name in ("own_token", "someone_elses_token"):
        token = new_token(w, user if name == "own_token" else w.other_coach)
        kwarg = "apitoken_pk" if ":" in route else "pk"
        return Target({kwarg: token.pk}, {})
    raise AssertionError(f"unknown target {name}")


def create_body(world, route: str) -> dict:
    """Bodies for the rows that create something (target `-`)."""
    practice_data = profile(world.practice, name="Harbour Street Practice", region="Harbour")
    return {
        "practices:create": practice_data | {"stage": "needs_assessment"},
        "practices-list": practice_data | {"stage": "needs_assessment"},
        "coach-assignments-list": {"practice": world.practice.pk, "coach": world.other_coach.pk},
        "people:invite": {
            "email": "newcomer@north-psp.example.org",
            "role": "practice",
            "practice": world.practice.pk,
            "practice_role": "staff",
        },
        "invitation-list": {
            "email": "newcomer@north-psp.example.org",
            "role": "practice",
            "practice": world.practice.pk,
            "practice_role": "staff",
        },
        "tokens:list": {"name": "Nightly export"},
        "program_settings:edit": {
            "name": "North PSP (renamed)",
            "description": "Practice support in the north",
            "time_zone": "America/Winnipeg",
            "digest_hour": "9",
            "date_style": "iso",
            "report_retention_days": "30",
            "peer_group_minimum": "6",
        },
        "program-settings-list": {"time_zone": "America/Winnipeg", "digest_hour": 9},
        "api-token-list": {"name": "Nightly export"},
        # The kind tests/permissions/conftest.py registers; its default is an email at once.
        # As a browser sends it: every kind's group with its choice, the test's kind changed.
        "notifications:settings": {
            **{code: kind.default.value for code, kind in registry.kinds.items()},
            CELL_KIND.code: "app",
        },
        "notification-preferences-list": [{"kind": CELL_KIND.code, "delivery": "app"}],
    }.get(route, {})


def state(program) -> dict:
    """The program's rows, minus what moves on every request (who used a token or a program
    last), so that "nothing changed" and "something changed" can be told apart."""
    tables = snapshot(program)
    tables.pop("accounts.User")
    for row in tables.get("accounts.ApiToken", []):
        row.pop("last_used_at")
    return tables


def assert_cell(response, cell: str, method: str, before: dict, after: dict, allowed_codes) -> None:
    where = f"{method} {response.request['PATH_INFO']}"
    if cell == "ok":
        assert response.status_code in allowed_codes, (where, response.status_code)
        if response.status_code == 302:
            assert "/accounts/" not in response["Location"], (where, response["Location"])
        if method not in SAFE:
            assert after != before, f"{where} answered {response.status_code} but changed nothing"
    else:
        assert response.status_code == int(cell), (where, response.status_code)
        assert after == before, f"{where} was refused ({cell}) but changed something"
