"""Saving one item as people go: its answer, its evidence files, and a failed item made an
action. Each answers htmx with the item re-rendered (and the checklist's progress and sign-off
out of band), and a plain post by going back to the item (#item-<pk>) or, when something was
refused, with the page showing the problem beside the field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views import View

from coaching.actions.selectors import owner_choices
from compliance.instances import selectors, services
from compliance.instances.evidence import KIND
from compliance.instances.forms import ItemActionForm, ItemAnswerForm
from compliance.instances.models import InstanceStatus
from compliance.instances.views.common import (
    ChecklistPageMixin,
    checklist_context,
    upload_form,
)
from psp.evidence import services as evidence_services
from psp.forms import add_service_errors

MAY_NOT_COMPLETE = "Only the practice's people answer its checklists."
CORRECTED = "This revision was corrected: work from the newer one."
FROZEN = (
    "This checklist was signed off: its answers and files stay as they were signed. "
    "A correction starts a new revision."
)


class _ItemView(ChecklistPageMixin, View):
    """A post about one item (`checklistitem_pk`) of the checklist; a GET goes to the item."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        return redirect(self.item_url(self.item_or_404().pk))

    def answer(self, item, *, saved: str = "", bound: dict | None = None, problem: str = ""):
        """The item again: htmx gets its row (and the progress and sign-off out of band), a
        plain post the page with the form's problems, or a redirect back to the item with
        what was saved (or, `problem`, why nothing could be)."""
        request = self.request
        if (saved or problem) and not request.htmx:
            (messages.error if problem else messages.success)(request, problem or saved)
            return redirect(self.item_url(item.pk))
        self.checklist.refresh_from_db()
        context = checklist_context(self, bound=bound)
        if request.htmx:
            row = next(row for row in context["rows"] if row.item.pk == item.pk)
            context.update(row=row, saved=saved, problem=problem, oob=True)
            response = TemplateResponse(request, "compliance/_item_answer.html", context)
        else:
            response = TemplateResponse(request, "compliance/checklist.html", context)
        patch_vary_headers(response, ("HX-Request",))
        return response


class ItemAnswerView(_ItemView):
    def post(self, request, *args, **kwargs):
        item = self.item_or_404()
        self.require(self.may_complete, MAY_NOT_COMPLETE)
        if self.checklist.status not in selectors.OPEN_STATUSES:
            return self.answer(item, problem=FROZEN)
        form = ItemAnswerForm(request.POST, item=item)
        if form.is_valid():
            try:
                services.response_save(
                    program=request.program,
                    by=request.user,
                    instance=self.checklist,
                    item_id=item.pk,
                    data=form.answer_data(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.answer(item, saved="Saved.")
        return self.answer(item, bound={"answer": (item.pk, form)})


class ItemEvidenceView(_ItemView):
    """Files for one item, before or after its answer: the answer's row is made (unanswered)
    when the first file comes first, in the same transaction as the files."""

    def post(self, request, *args, **kwargs):
        item = self.item_or_404()
        self.require(self.may_complete, MAY_NOT_COMPLETE)
        if self.checklist.status not in selectors.OPEN_STATUSES:
            return self.answer(item, problem=FROZEN)
        form = upload_form(item, KIND.max_files, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                rows = self._attach(item, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                outcome = evidence_services.outcome(rows)
                saved = f"Added {', '.join(row.original_name for row in outcome.attached)}."
                if outcome.failed:
                    failed = ", ".join(row.original_name for row in outcome.failed)
                    saved += f" {failed} could not be saved: please try again."
                return self.answer(item, saved=saved)
        return self.answer(item, bound={"evidence": (item.pk, form)})

    def _attach(self, item, form):
        request = self.request
        with transaction.atomic():
            response = services.response_for_evidence(
                program=request.program, by=request.user, instance=self.checklist, item_id=item.pk
            )
            return evidence_services.evidence_attach_many(
                program=request.program,
                by=request.user,
                subject_type=KIND.code,
                subject_id=response.pk,
                practice_id=self.checklist.practice_id,
                uploads=form.cleaned_data["files"],
                label=form.cleaned_data["label"],
            )


class ItemActionView(_ItemView):
    """A failed item made an action of the practice (plan.edit on it)."""

    def post(self, request, *args, **kwargs):
        item = self.item_or_404()
        self.require(self.may_raise_actions, "Your role does not add actions for this practice.")
        if self.checklist.status == InstanceStatus.SUPERSEDED:
            return self.answer(item, problem=CORRECTED)
        practice_id = self.checklist.practice_id
        form = ItemActionForm(
            request.POST,
            item=item,
            goals=selectors.remediation_goals(practice_id=practice_id),
            owners=owner_choices(practice=practice_id),
        )
        if form.is_valid():
            try:
                response = services.response_action_create(
                    program=request.program,
                    by=request.user,
                    instance=self.checklist,
                    item_id=item.pk,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.answer(item, saved=f"The action “{response.action.title}” is added.")
        return self.answer(item, bound={"action": (item.pk, form)})
