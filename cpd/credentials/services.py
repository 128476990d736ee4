"""Writes of credentials: issuing one as a transcript or certificate is made (in the report's
task, once per report: the task run again finds the one it issued), and revoking one."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cpd.credentials.codes import new_code
from cpd.credentials.models import CpdCredential
from cpd.credentials.selectors import Standing

# A fresh code colliding with an issued one is a one-in-2^59 event; a few tries are plenty.
CODE_TRIES = 5


def credential_issue(
    *, program, kind: str, cycle, standing: Standing, report_id: int | None = None
) -> CpdCredential:
    """The credential of the report `report_id` (made now if it has none), attesting
    `standing` of `cycle`. Without a report (a document rendered outside one) each call issues
    a new credential."""
    if report_id is not None:
        existing = CpdCredential.objects.filter(report_id=report_id).first()
        if existing is not None:
            return existing
    progress = standing.progress
    for attempt in range(CODE_TRIES):
        try:
            with transaction.atomic():
                return CpdCredential.objects.create(
                    program=program,
                    kind=kind,
                    cycle=cycle,
                    person_id=cycle.person_id,
                    report_id=report_id,
                    code=new_code(),
                    issued_at=timezone.now(),
                    status=standing.status,
                    credits=progress.total,
                    required=progress.required_total,
                    unit=progress.unit,
                    met_on=progress.met_on,
                )
        except IntegrityError:
            if report_id is not None:  # issued meanwhile by the same report's other run
                existing = CpdCredential.objects.filter(report_id=report_id).first()
                if existing is not None:
                    return existing
            if attempt == CODE_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def credential_revoke(*, program, credential: CpdCredential, by) -> CpdCredential:
    """Withdraw an issued transcript or certificate (issued in error, or the activities behind
    it were found wanting): the public check then says it is revoked. Revoking twice keeps the
    first date."""
    with transaction.atomic():
        CpdCredential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        credential.refresh_from_db(fields=["revoked_at"])
    return credential
