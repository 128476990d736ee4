"""Reads for CPD transcripts and certificates: the cycles a person may ask one for, a cycle's
standing as a document attests it, and a credential found by its code.

Who may ask: the person for their own cycles (cpd.record), and whoever reads others' CPD
(cpd.view: admins and managers program-wide, a lead their practice's people) for those people's
cycles. Any other cycle is out of reach: the same 404 as one that does not exist.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from cpd.activities.selectors import memberships_in_view
from cpd.credentials.codes import normalized
from cpd.credentials.models import AttestedStatus, CpdCredential
from cpd.progress.engine import CycleProgress
from cpd.progress.selectors import cycle_progress, progress_of_cycles
from cpd.schemes.models import CpdCycle
from psp.tenancy.permissions import Capability


def cycles_in_reach(*, access) -> QuerySet[CpdCycle]:
    """The cycles the person may ask a transcript or certificate of, with what a document's
    form and heading show (one query)."""
    reach = Q(person=access.user) if access.can(Capability.CPD_RECORD) else Q(pk__in=[])
    if access.can(Capability.CPD_VIEW):
        reach |= Q(person_id__in=memberships_in_view(access=access).values("user_id"))
    return (
        CpdCycle.objects.filter(reach)
        .select_related("person", "scheme", "version")
        .order_by("person__full_name", "person__email", "-starts_on", "pk")
    )


def cycle_in_reach(*, access, pk) -> CpdCycle:
    """One of them (else CpdCycle.DoesNotExist, as for a missing id)."""
    return cycles_in_reach(access=access).get(pk=pk)


def document_cycle(pk) -> CpdCycle:
    """The cycle a document is made of, in the worker (the request checked the reach)."""
    return CpdCycle.objects.select_related("person", "scheme", "version").get(pk=pk)


@dataclass(frozen=True)
class Standing:
    """What a document attests of a cycle on a day."""

    status: str  # AttestedStatus
    progress: CycleProgress

    @property
    def label(self) -> str:
        return AttestedStatus(self.status).label


def standing(cycle: CpdCycle, *, today: date) -> Standing:
    result = cycle_progress(cycle, today=today)
    if result.is_met:
        status = AttestedStatus.MET
    elif today > cycle.ends_on:
        status = AttestedStatus.NOT_MET
    else:
        status = AttestedStatus.IN_PROGRESS
    return Standing(status=status, progress=result)


def credential_by_code(typed: str) -> CpdCredential | None:
    """The credential a typed code names, in whatever program it was issued (the public check
    knows no program: the code names it), with what the check shows. None for a code that is
    not one of ours, or of a program no longer active."""
    code = normalized(typed)
    if code is None:
        return None
    return (
        CpdCredential.all_programs.select_related("cycle__scheme", "person")
        .filter(code=code, program__is_active=True)
        .first()
    )


def mark_documents(groups, *, today: date) -> None:
    """Mark each cycle group of a person's CPD page (cpd.activities.selectors.CycleGroup, its
    cycle's version joined) with whether its requirements are met, for its certificate button.
    One query for every cycle of the page."""
    cycles = [group.cycle for group in groups if group.cycle is not None]
    results = progress_of_cycles(cycles, today=today)
    for group in groups:
        found = results.get(group.cycle.pk) if group.cycle is not None else None
        group.requirements_met = found is not None and found.is_met
