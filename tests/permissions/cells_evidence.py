"""Targets and bodies for the permission tables' rows of evidence files, with the evidence tests'
own subject kind (tests/evidence/subjects.py: a person's record in a practice, read by its owner
and by whoever reads CPD there, cpd.view; added to by its owner; removed by its owner or an
admin):

- `staff_record` / `other_record`: an upload to world.staff's record in world.practice, or to a
  staff member's record in world.other_practice (the body names the record and carries a PDF).
- `staff_file` / `other_file`: a stored certificate on either record.
"""

from dataclasses import dataclass, field

from tests.evidence.subjects import (
    CODE,
    ensure_test_subject,
    other_practice_record,
    pdf_bytes,
    record_of,
    stored_evidence,
    upload,
)

PREFIXES = ("evidence:", "evidence-file")


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def _record(world, name: str):
    return record_of(world) if name.startswith("staff") else other_practice_record(world)


def target(world, user, name: str, route: str) -> Target:
    ensure_test_subject()
    if name == "-":
        return Target({})
    record = _record(world, name)
    if name.endswith("_record"):
        body = {
            "subject_type": CODE,
            "subject_id": record.pk,
            "label": "Certificate",
            "files": upload("certificate.pdf", pdf_bytes()),
        }
        return Target({}, body)
    if name.endswith("_file"):
        return Target({"pk": stored_evidence(world, record).pk})
    raise AssertionError(f"unknown target {name}")
