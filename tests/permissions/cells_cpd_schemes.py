"""Targets and bodies for the permission tables' rows of CPD schemes and verifiers (issue 13,
cpd/schemes).

Schemes are the program's, not a practice's: everyone reads them through the API (a person reads
the rules they are under), only admins (cpd.define) see the setup pages and change anything.
`scheme` is a family-medicine style scheme of the program; `verifier` names world.other_coach.
"""

from dataclasses import dataclass, field

from cpd.models import CpdVerifier
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import family
from tests.cpd.scheme_factories import make_scheme
from tests.cpd.schemes.helpers import rules_post

PREFIXES = ("cpd_schemes:", "cpd-schemes", "cpd-verifiers")


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def target(world, user, name: str, route: str) -> Target:
    if name == "-":
        return Target({}, create_body(world, route))
    if name == "scheme":
        scheme = make_scheme(world.program, family())
        body = {
            "cpd_schemes:edit": {"name": "Family practice", "body": "", "description": ""},
            "cpd_schemes:rules": rules_post(family(required__total=300)),
            "cpd_schemes:applies_to": {"roles": ["coach"], "sectors": [], "people": []},
            "cpd-schemes-detail": {
                "code": "family",
                "name": "Family practice",
                "rules": family(required__total=300),
            },
        }.get(route, {})
        return Target({"pk": scheme.pk}, body)
    if name == "verifier":
        with program_scope(world.program):
            verifier = CpdVerifier.objects.create(program=world.program, user=world.other_coach)
        return Target({"pk": verifier.pk})
    raise AssertionError(f"unknown target {name}")


def create_body(world, route: str) -> dict:
    return {
        "cpd_schemes:list": {"template": "family-medicine"},
        "cpd_schemes:templates": {"template": "law-society"},
        "cpd_schemes:new": rules_post(family())
        | {"scheme-name": "Nursing hours", "scheme-code": "nursing", "scheme-is_active": "on"},
        "cpd_schemes:verifiers": {"user": world.coach.pk},
        "cpd-schemes-list": {"code": "nursing", "name": "Nursing hours", "rules": family()},
        "cpd-schemes-load-template": {"template": "teaching"},
        "cpd-verifiers-list": {"user": world.coach.pk},
    }.get(route, {})
