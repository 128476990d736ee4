"""The permission tables' rows of practices' checklists (pages and API), with their targets.

Targets: a checklist of world.practice (the lead's and staff's own, the coach's assigned one)
or, `other_…`, of world.other_practice: `open` (nothing answered), `open_item` its first item
(a done / not done item), `failed_item` the first item of one answered "not done", `completed`
one answered whole with its file (ready to sign), `signed` one signed off by the practice lead,
`response` an answer row of an open checklist. `theirs`/`other` name the practice.

Everyone with a role reads the checklists of the practices they see (compliance.view); only the
practice's people answer and add files (compliance.complete; admins, managers and coaches get
403 on a checklist they see); its lead signs (or the person named for a role: none here); its
lead and the program's admins correct a signed one; a failed item becomes an action with
plan.edit (admins, the coach, the lead). The API's uploads (multipart) are in
tests/compliance/instances/test_api.py; here their refusals."""

from dataclasses import dataclass, field

from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.compliance.instances.helpers import answer, attach, make_checklist, sign
from tests.evidence.subjects import pdf_bytes, upload

ROUTES = ("compliance:", "checklists", "checklist-responses")

#  route                       method target       admin manager coach lead staff
PAGES = """
compliance:practice            GET   theirs        ok    ok      ok    ok   ok
compliance:practice            GET   other         ok    ok      404   404  404
compliance:checklist           GET   open          ok    ok      ok    ok   ok
compliance:checklist           GET   other_open    ok    ok      404   404  404
compliance:history             GET   open          ok    ok      ok    ok   ok
compliance:history             GET   other_open    ok    ok      404   404  404
compliance:item                GET   open_item     ok    ok      ok    ok   ok
compliance:item                POST  open_item     403   403     403   ok   ok
compliance:item                POST  other_item    403   403     404   404  404
compliance:item_evidence       POST  open_item     403   403     403   ok   ok
compliance:item_evidence       POST  other_item    403   403     404   404  404
compliance:item_action         POST  failed_item   ok    403     ok    ok   403
compliance:item_action         POST  other_failed_item ok 403    404   404  404
compliance:attest              POST  completed     403   403     403   ok   403
compliance:attest              POST  other_completed 403 403     404   404  404
compliance:correct             GET   signed        ok    403     403   ok   403
compliance:correct             POST  signed        ok    403     403   ok   403
compliance:correct             POST  other_signed  ok    403     404   404  404
"""

#  route                       method target       admin manager coach lead staff
API = """
checklists-list                GET    -            ok    ok      ok    ok   ok
checklists-detail              GET    open         ok    ok      ok    ok   ok
checklists-detail              GET    other_open   ok    ok      404   404  404
checklists-item                PUT    open_item    403   403     403   ok   ok
checklists-item                PATCH  open_item    403   403     403   ok   ok
checklists-item                PUT    other_item   403   403     404   404  404
checklists-item-evidence       POST   other_item   403   403     404   404  404
checklists-item-action         POST   failed_item  ok    403     ok    ok   403
checklists-item-action         POST   other_failed_item ok 403   404   404  404
checklists-attest              POST   completed    403   403     403   ok   403
checklists-attest              POST   other_completed 403 403    404   404  404
checklists-correct             POST   signed       ok    403     403   ok   403
checklists-correct             POST   other_signed ok    403     404   404  404
checklists-history             GET    open         ok    ok      ok    ok   ok
checklists-history             GET    other_open   ok    ok      404   404  404
checklist-responses-list       GET    -            ok    ok      ok    ok   ok
checklist-responses-detail     GET    response     ok    ok      ok    ok   ok
checklist-responses-detail     GET    other_response ok  ok      404   404  404
checklist-responses-evidence   GET    response     ok    ok      ok    ok   ok
checklist-responses-evidence   GET    other_response ok  ok      404   404  404
checklist-responses-evidence   POST   other_response 403 403     404   404  404
"""


def handles(route: str) -> bool:
    return route.startswith(ROUTES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def _body(route: str) -> dict:
    if route == "compliance:item_evidence":
        return {"files": upload("notice.pdf", pdf_bytes()), "label": "Photo"}
    return {
        "compliance:item": {"choice": "done"},
        "checklists-item": {"choice": "done"},
        "compliance:item_action": {"title": "Put the notice up again"},
        "checklists-item-action": {"title": "Put the notice up again"},
        "compliance:attest": {"attester": "lead", "signed_name": "Pat Lead", "agreed": "on"},
        "checklists-attest": {"attester": "lead", "signed_name": "Pat Lead", "agreed": True},
        "compliance:correct": {"reason": "The training date was wrong."},
        "checklists-correct": {"reason": "The training date was wrong."},
    }.get(route, {})


def _checklist(world, state: str, practice):
    instance, items = make_checklist(world, practice=practice)
    person = world.staff
    if practice != world.practice:  # the other practice's people: none in the world
        person = f.UserFactory()
        f.MembershipFactory(program=world.program, user=person, role="practice")
        f.PracticeMembershipFactory(
            program=world.program, practice=practice, user=person, role="lead"
        )
    if state == "failed_item":
        answer(world, instance, items[0], by=person, choice="not_done")
    elif state == "response":
        answer(world, instance, items[1], by=person, choice="yes")
    elif state in ("completed", "signed"):
        complete_by(world, instance, items, person)
        if state == "signed":
            sign(world, instance, by=world.lead if practice == world.practice else person)
    return instance, items


def complete_by(world, instance, items, person):
    answer(world, instance, items[0], by=person, choice="done")
    answer(world, instance, items[1], by=person, choice="no")
    answer(world, instance, items[2], by=person, value_date="2026-03-02")
    answer(world, instance, items[3], by=person, value_number="7")
    answer(world, instance, items[4], by=person, value_text="Dana Reyes")
    attach(world, instance, items[0], by=person)


def target(world, user, name: str, route: str) -> Target:
    if name == "-":
        return Target({})
    if name in ("theirs", "other"):
        practice = world.practice if name == "theirs" else world.other_practice
        return Target({"practice_pk": practice.pk})
    practice = world.other_practice if name.startswith("other_") else world.practice
    state = name.removeprefix("other_")
    instance, items = _checklist(world, state, practice)
    kwargs = {"pk": instance.pk}
    if state == "response":
        with program_scope(world.program):
            kwargs = {"pk": instance.responses.get().pk}
    elif route.startswith(("compliance:item", "checklists-item")):
        kwargs["checklistitem_pk"] = items[0].pk
    return Target(kwargs, _body(route))
