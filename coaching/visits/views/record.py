"""The visit forms that record a visit: log one (and schedule the next), complete a planned
one, schedule one. Access as in pages.py: only coaches log and plan, for the practices assigned
to them, and only the visit's own coach completes it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from coaching.visits import selectors, services
from coaching.visits.forms import VisitPlanForm, new_action_rows
from coaching.visits.models import Visit, VisitStatus
from coaching.visits.views.form_page import (
    ALREADY_SAVED,
    GROUPS,
    PRACTICE_FIELDS,
    VisitFormPage,
    chosen_practice,
    planned_message,
    typed_number,
)
from coaching.visits.views.pages import LOG, VisitPageMixin
from psp.forms import add_service_errors
from psp.tenancy.pages import ProgramPageMixin

# Logging ------------------------------------------------------------------------------------


class VisitLogView(ProgramPageMixin, VisitFormPage):
    """Log a visit to a practice of the coach's caseload (?practice=<id> chooses it)."""

    capability = LOG
    model = Visit

    def draft_name(self) -> str:
        return "log"

    def get(self, request, *args, **kwargs):
        practices = list(selectors.caseload_practices(access=self.access))
        practice = chosen_practice(practices, request.GET.get("practice"))
        mode = selectors.last_mode(coach=request.user)
        initial = {
            "practice": practice.pk if practice else None,
            "visit_date": timezone.localdate(),
            "mode": mode,
            "next_mode": mode,
            "duration_minutes": 60,
            "travel_minutes": 0,
            "other_attendees": typed_number(request.GET.get("other_attendees")),
        }
        form, formset = self.build(practice=practice, practices=practices, initial=initial)
        if request.htmx and request.htmx.target == PRACTICE_FIELDS:
            return TemplateResponse(
                request,
                "coaching/visits/_practice_swap.html",
                {"form": form, "formset": formset, "practice_fields_id": PRACTICE_FIELDS},
            )
        return self.page(form, formset, practice=practice, practices=practices)

    def post(self, request, *args, **kwargs):
        practices = list(selectors.caseload_practices(access=self.access))
        practice = chosen_practice(practices, request.POST.get("practice"), only_one=False)
        form, formset = self.build(request.POST, practice=practice, practices=practices)
        if form.is_valid() and formset.is_valid():
            key, next_visit = form.cleaned_data.get("submission_key"), form.next_visit()
            again = selectors.sent_before(key=key)
            try:
                visit = services.visit_log(
                    program=request.program,
                    by=request.user,
                    practice=form.cleaned_data["practice"],
                    visit=form.to_input(),
                    new_actions=new_action_rows(formset),
                    next_visit=next_visit,
                    submission_key=key,
                )
            except ValidationError as error:
                add_service_errors(form, error, groups=GROUPS)
            else:
                message = ALREADY_SAVED if again else "The visit is logged."
                if not again:
                    message += planned_message(next_visit)
                return self.saved(visit, message, key)
        return self.page(form, formset, practice=practice, practices=practices)


class VisitCompleteView(VisitPageMixin, VisitFormPage):
    """Log a planned visit: the log form, filled in from the plan; the same row becomes the
    logged visit."""

    capability = LOG
    own_only = True
    form_mode = "complete"

    def draft_name(self) -> str:
        return f"complete-{self.visit.pk}"

    def get(self, request, *args, **kwargs):
        visit = self.visit
        if visit.status != VisitStatus.PLANNED:
            messages.warning(request, "Only a planned visit can be completed.")
            return redirect(visit)
        initial = {
            "visit_date": min(visit.visit_date, timezone.localdate()),
            "start_time": visit.start_time,
            "mode": visit.mode,
            "next_mode": visit.mode,
            "duration_minutes": visit.duration_minutes,
            "travel_minutes": 0,
            "other_attendees": 0,
            "purpose": visit.purpose,
            "notes": visit.notes,
        }
        form, formset = self.build(practice=visit.practice, initial=initial)
        return self.page(form, formset)

    def post(self, request, *args, **kwargs):
        visit = self.visit
        form, formset = self.build(request.POST, practice=visit.practice)
        if form.is_valid() and formset.is_valid():
            key, next_visit = form.cleaned_data.get("submission_key"), form.next_visit()
            try:
                services.visit_complete(
                    program=request.program,
                    by=request.user,
                    planned=visit,
                    visit=form.to_input(),
                    new_actions=new_action_rows(formset),
                    next_visit=next_visit,
                    submission_key=key,
                )
            except ValidationError as error:
                add_service_errors(form, error, groups=GROUPS)
            else:
                return self.saved(visit, "The visit is logged." + planned_message(next_visit), key)
        return self.page(form, formset)


# Scheduling ---------------------------------------------------------------------------------


class VisitPlanView(ProgramPageMixin, VisitFormPage):
    """Schedule a visit to a practice of the coach's caseload (?practice=<id> chooses it)."""

    capability = LOG
    model = Visit
    template_name = "coaching/visits/plan_form.html"

    def draft_name(self) -> str:
        return "plan"

    def get(self, request, *args, **kwargs):
        practices = list(selectors.caseload_practices(access=self.access))
        practice = chosen_practice(practices, request.GET.get("practice"))
        initial = {
            "practice": practice.pk if practice else None,
            "mode": selectors.last_mode(coach=request.user),
            "duration_minutes": 60,
        }
        form = VisitPlanForm(practices=practices, initial=initial)
        return self.page(form, None, practices=practices)

    def post(self, request, *args, **kwargs):
        practices = list(selectors.caseload_practices(access=self.access))
        form = VisitPlanForm(request.POST, practices=practices)
        if form.is_valid():
            arguments = form.plan_kwargs()
            try:
                visit = services.visit_plan(program=request.program, by=request.user, **arguments)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                day = visit.visit_date
                return self.saved(
                    visit,
                    f"The visit is planned for {day.day} {day:%B %Y}.",
                    arguments["submission_key"],
                )
        return self.page(form, None, practices=practices)
