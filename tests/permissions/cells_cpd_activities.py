"""The permission tables' rows of CPD activities and program activities, with their targets.

Targets: `own` is an activity of the caller's own (self-reported; `own_draft` a draft drafted
for them); `colleague` a submitted activity of another staff member of world.practice (the
lead's and staff's practice, the coach's assigned one); `other` a submitted activity of someone
in world.other_practice; `staff_member`/`other_member` the program membership of such a person
(a person's CPD page); `offering` a program activity that has taken place. The API's evidence
upload (multipart) is in tests/cpd/activities/test_evidence.py; here its refusals.

Everyone records and reads their own CPD (cpd.record) and only the person changes it: another
who reads it (admins and managers program-wide, the lead of their practice, cpd.view) gets 403,
anyone else 404. Verifying takes an admin or a named verifier (none here but the admin), never on
one's own; the API refuses it before any lookup (403 whatever the id), a page looks the activity
up first (404 out of reach). The queue is the verifiers'; the people pages cpd.view's; program
activities the admins' (cpd.define)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from cpd.models import CpdActivity
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.evidence.subjects import pdf_bytes, upload

ROUTES = ("cpd:", "cpd-activities", "cpd-offerings")

#  route                       method target       admin manager coach lead staff
PAGES = """
cpd:mine                       GET   -             ok    ok      ok    ok   ok
cpd:record                     GET   -             ok    ok      ok    ok   ok
cpd:record                     POST  -             ok    ok      ok    ok   ok
cpd:detail                     GET   own           ok    ok      ok    ok   ok
cpd:detail                     GET   colleague     ok    ok      404   ok   404
cpd:detail                     GET   other         ok    ok      404   404  404
cpd:edit                       GET   own           ok    ok      ok    ok   ok
cpd:edit                       POST  own           ok    ok      ok    ok   ok
cpd:edit                       POST  colleague     403   403     404   403  404
cpd:submit                     POST  own           ok    ok      ok    ok   ok
cpd:submit                     POST  colleague     403   403     404   403  404
cpd:confirm                    POST  own_draft     ok    ok      ok    ok   ok
cpd:confirm                    POST  colleague     403   403     404   403  404
cpd:evidence                   POST  own           ok    ok      ok    ok   ok
cpd:evidence                   POST  colleague     403   403     404   403  404
cpd:delete                     GET   own           ok    ok      ok    ok   ok
cpd:delete                     POST  own           ok    ok      ok    ok   ok
cpd:delete                     POST  colleague     403   403     404   403  404
cpd:verify                     POST  colleague     ok    403     404   403  404
cpd:verify                     POST  other         ok    403     404   404  404
cpd:reject                     GET   colleague     ok    403     404   403  404
cpd:reject                     POST  colleague     ok    403     404   403  404
cpd:request_evidence           GET   colleague     ok    403     404   403  404
cpd:request_evidence           POST  colleague     ok    403     404   403  404
cpd:queue                      GET   -             ok    403     403   403  403
cpd:people                     GET   -             ok    ok      403   ok   403
cpd:person                     GET   staff_member  ok    ok      403   ok   403
cpd:person                     GET   other_member  ok    ok      403   404  403
cpd:offerings                  GET   -             ok    403     403   403  403
cpd:offering_new               GET   -             ok    403     403   403  403
cpd:offering_new               POST  -             ok    403     403   403  403
cpd:offering                   GET   offering      ok    403     403   403  403
cpd:offering_attendees         GET   offering      ok    403     403   403  403
cpd:offering_attendees         POST  offering      ok    403     403   403  403
"""

#  route                       method target       admin manager coach lead staff
API = """
cpd-activities-list            GET    -            ok    ok      ok    ok   ok
cpd-activities-list            POST   -            ok    ok      ok    ok   ok
cpd-activities-detail          GET    own          ok    ok      ok    ok   ok
cpd-activities-detail          GET    colleague    ok    ok      404   ok   404
cpd-activities-detail          GET    other        ok    ok      404   404  404
cpd-activities-detail          PATCH  own          ok    ok      ok    ok   ok
cpd-activities-detail          PUT    own          ok    ok      ok    ok   ok
cpd-activities-detail          PATCH  colleague    403   403     404   403  404
cpd-activities-detail          DELETE own          ok    ok      ok    ok   ok
cpd-activities-detail          DELETE colleague    403   403     404   403  404
cpd-activities-submit          POST   own          ok    ok      ok    ok   ok
cpd-activities-submit          POST   colleague    403   403     404   403  404
cpd-activities-confirm         POST   own_draft    ok    ok      ok    ok   ok
cpd-activities-verify          POST   colleague    ok    403     403   403  403
cpd-activities-verify          POST   own_submitted 403  403     403   403  403
cpd-activities-reject          POST   colleague    ok    403     403   403  403
cpd-activities-request-evidence POST  colleague    ok    403     403   403  403
cpd-activities-evidence        GET    own          ok    ok      ok    ok   ok
cpd-activities-evidence        GET    colleague    ok    ok      404   ok   404
cpd-activities-evidence        POST   colleague    403   403     404   403  404
cpd-activities-history         GET    own          ok    ok      ok    ok   ok
cpd-activities-history         GET    colleague    ok    ok      404   ok   404
cpd-offerings-list             GET    -            ok    403     403   403  403
cpd-offerings-list             POST   -            ok    403     403   403  403
cpd-offerings-detail           GET    offering     ok    403     403   403  403
cpd-offerings-attendees        POST   offering     ok    403     403   403  403
"""


def handles(route: str) -> bool:
    return route.startswith(ROUTES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


TODAY = timezone.localdate()
ACTIVITY = {
    "activity_type": "workshop",
    "title": "Safer opioid prescribing",
    "provider": "College of Family Physicians",
    "started_on": (TODAY - timedelta(days=5)).isoformat(),
    "ended_on": (TODAY - timedelta(days=5)).isoformat(),
    "hours": "3",
}
PAGE_FORM = ACTIVITY | {"shown_type": "workshop", "reflection_learned": "Taper plans."}
OFFERING = {
    "title": "PSP workshop: recalls that work",
    "activity_type": "workshop",
    "provider": "North PSP",
    "started_on": (TODAY - timedelta(days=2)).isoformat(),
    "hours": "2",
}


def _person_in(world, practice):
    person = f.UserFactory()
    f.MembershipFactory(program=world.program, user=person, role="practice")
    f.PracticeMembershipFactory(program=world.program, practice=practice, user=person, role="staff")
    return person


def _activity(world, person, practice, status) -> CpdActivity:
    return f.CpdActivityFactory(
        program=world.program,
        person=person,
        practice=practice,
        status=status,
        submitted_at=timezone.now() if status == "submitted" else None,
    )


def _body(route: str, name: str) -> dict:
    if route in ("cpd:record", "cpd:edit"):
        return PAGE_FORM | ({"hours": "4"} if name != "-" else {})
    if route in ("cpd-activities-list", "cpd-activities-detail"):
        return ACTIVITY | {"hours": "4"} if name != "-" else ACTIVITY
    if route in ("cpd:offering_new", "cpd-offerings-list"):
        return OFFERING
    if route == "cpd:evidence":
        return {"files": upload("certificate.pdf", pdf_bytes()), "label": "Certificate"}
    return {
        "cpd:reject": {"reason": "The hours are not on the slip."},
        "cpd-activities-reject": {"reason": "The hours are not on the slip."},
        "cpd:request_evidence": {"message": "The certificate, please."},
        "cpd-activities-request-evidence": {"message": "The certificate, please."},
    }.get(route, {})


def target(world, user, name: str, route: str) -> Target:
    with program_scope(world.program):
        if name == "-":
            return Target({}, _body(route, name))
        key = "pk"
        if name == "offering":
            row = f.CpdOfferingFactory(program=world.program)
            people = [world.staff.pk] if "attendees" in route else []
            return Target({key: row.pk}, {"people": people} if people else _body(route, name))
        if name in ("staff_member", "other_member"):
            practice = world.practice if name == "staff_member" else world.other_practice
            person = world.staff if name == "staff_member" else _person_in(world, practice)
            return Target({key: person.program_memberships.get().pk})
        if name.startswith("own"):
            status = {"own_draft": "draft", "own_submitted": "submitted"}.get(name, "self_reported")
            practice = world.practice if user in (world.lead, world.staff) else None
            row = _activity(world, user, practice, status)
        else:
            practice = world.practice if name == "colleague" else world.other_practice
            row = _activity(world, _person_in(world, practice), practice, "submitted")
        return Target({key: row.pk}, _body(route, name))
