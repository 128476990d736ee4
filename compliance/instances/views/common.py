"""What the checklist pages share: finding the checklist (404 out of reach) and one of its items
(404 when not on it), who may do what on it, and everything its page shows, built once for the
page and for the answers htmx gets after saving one item."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coaching.actions.selectors import owner_choices
from compliance.checklists.models import Attester, ChecklistItem
from compliance.instances import selectors
from compliance.instances.answers import shown
from compliance.instances.evidence import KIND, checklist_evidence_rights
from compliance.instances.forms import AttestForm, ItemActionForm, ItemAnswerForm
from compliance.instances.models import Attestation, ChecklistInstance, InstanceStatus
from psp.evidence.forms import EvidenceUploadForm
from psp.evidence.panel import EvidencePanel
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

VIEW, COMPLETE = Capability.COMPLIANCE_VIEW, Capability.COMPLIANCE_COMPLETE


class ChecklistPageMixin(ProgramPageMixin):
    """A page about one checklist (`pk`): 404 unless the person may see it. Sets
    `self.checklist`."""

    model = ChecklistInstance
    capability = VIEW

    def check_access(self) -> None:
        super().check_access()
        try:
            self.checklist = selectors.checklist_in_reach(access=self.access, pk=self.kwargs["pk"])
        except ChecklistInstance.DoesNotExist:
            raise Http404("No such checklist.") from None

    def item_or_404(self) -> ChecklistItem:
        item = ChecklistItem.objects.filter(
            version_id=self.checklist.version_id, pk=self.kwargs["checklistitem_pk"]
        ).first()
        if item is None:
            raise Http404("No such item on this checklist.")
        return item

    def require(self, allowed: bool, why: str) -> None:
        if not allowed:
            raise PermissionDenied(why)

    @property
    def may_complete(self) -> bool:
        """Answer items and add files: the practice's people, while it is not signed off."""
        return self.access.can(COMPLETE, self.checklist.practice_id)

    @property
    def may_correct(self) -> bool:
        """Correct a signed-off checklist: who signs for the practice (compliance.attest) and
        the program's admins (compliance.define), who set the checklists up."""
        practice_id = self.checklist.practice_id
        return self.access.can(Capability.COMPLIANCE_ATTEST, practice_id) or self.access.can(
            Capability.COMPLIANCE_DEFINE, practice_id
        )

    @property
    def may_raise_actions(self) -> bool:
        return self.access.can(Capability.PLAN_EDIT, self.checklist.practice_id)

    def item_url(self, item_id: int) -> str:
        return f"{self.checklist.get_absolute_url()}#item-{item_id}"


def checklist_context(view, *, bound: dict | None = None) -> dict:
    """Everything the checklist page shows. `bound` replaces one form by the one the person sent
    (with its errors): {"answer" | "evidence" | "action": (item id, form)} or
    {"attest": form}."""
    checklist, bound = view.checklist, bound or {}
    rows = selectors.item_rows(checklist)
    editable = checklist.status in selectors.OPEN_STATUSES and view.may_complete
    rights = checklist_evidence_rights(view.access, checklist)
    action_choices = _action_choices(view, rows)
    for row in rows:
        _dress(view, row, editable=editable, rights=rights, bound=bound, choices=action_choices)
    return {
        "checklist": checklist,
        "practice": checklist.practice,
        "sections": _sections(rows),
        "rows": rows,
        "progress": selectors.progress_of(rows),
        "editable": editable,
        "overdue": _overdue(checklist, view.request.program.local_today()),
        "correction": selectors.correction_of(checklist),
        "may_correct": view.may_correct and checklist.status == InstanceStatus.ATTESTED,
        **signoff_context(view, rows, bound.get("attest")),
    }


def _overdue(checklist, today) -> int:
    """Days past its due date, for a checklist still open (0 otherwise)."""
    if checklist.status not in selectors.OPEN_STATUSES or checklist.due_on >= today:
        return 0
    return (today - checklist.due_on).days


def _sections(rows) -> list[tuple]:
    sections, current = [], None
    for row in rows:
        if current is None or row.item.section_id != current[0].pk:
            current = (row.item.section, [])
            sections.append(current)
        current[1].append(row)
    return sections


def _action_choices(view, rows):
    """The goals and owners a failed item's action form offers, read once for the page (None
    when no item there can become an action)."""
    wanted = (
        view.may_raise_actions
        and view.checklist.status != InstanceStatus.SUPERSEDED
        and any(row.failed and not row.response.action_id for row in rows)
    )
    if not wanted:
        return None
    practice_id = view.checklist.practice_id
    return {
        "goals": selectors.remediation_goals(practice_id=practice_id),
        "owners": list(owner_choices(practice=practice_id)),
    }


def _dress(view, row, *, editable: bool, rights, bound: dict, choices) -> None:
    """The forms and evidence panel of one item's row."""
    item = row.item

    def sent(kind):
        item_id, form = bound.get(kind, (None, None))
        return form if item_id == item.pk else None

    row.form = None
    if editable:
        row.form = sent("answer") or ItemAnswerForm(item=item, response=row.response)
    row.evidence = _panel(view, row, rights, sent("evidence"))
    row.action_form = None
    if choices is not None and row.failed and not row.response.action_id:
        row.action_form = sent("action") or ItemActionForm(item=item, **choices)
    row.url = view.item_url(item.pk)
    row.shown = shown(item, row.response)


def _panel(view, row, rights, form) -> EvidencePanel:
    files = row.files
    room = max(0, KIND.max_files - len(files))
    if form is None and rights.attach and room:
        form = upload_form(row.item, room)
    return EvidencePanel(
        kind=KIND,
        subject_id=row.response.pk if row.response else 0,
        rights=rights,
        files=files,
        form=form if rights.attach else None,
        next_url=view.item_url(row.item.pk),
    )


def upload_form(item, room: int, data=None, files=None) -> EvidenceUploadForm:
    return EvidenceUploadForm(
        data, files, kind=KIND, room=room, auto_id=f"item-{item.pk}-evidence-%s"
    )


def signoff_context(view, rows, bound_form=None) -> dict:
    """The signatures given, the roles still to sign and the forms of those the person may
    sign for (only once every item is answered)."""
    checklist = view.checklist
    signed = list(
        Attestation.objects.filter(instance=checklist).select_related("user").order_by("signed_at")
    )
    needed = selectors.needed_from(rows)
    done = {signature.attester for signature in signed}
    waiting, forms = [], []
    if checklist.status == InstanceStatus.COMPLETED:
        signers = selectors.attesters_for(checklist.practice_id)
        for role in needed:
            if role in done:
                continue
            if view.request.user.pk in signers.get(role, set()):
                sent = bound_form if bound_form and bound_form.attester == role else None
                forms.append((Attester(role).label, sent or AttestForm(attester=role)))
            else:
                waiting.append(Attester(role).label)
    return {
        "signatures": [(Attester(s.attester).label, s) for s in signed],
        "sign_forms": forms,
        "waiting_for": waiting,
        "needed_labels": [Attester(role).label for role in needed],
    }
