"""The visit forms: log a visit (and schedule the next), complete a planned one, schedule one,
and edit a visit. Access as in views_visits.py: only coaches log and plan, for the practices
assigned to them, and only the visit's own coach completes or edits it.

Each form keeps an unsaved draft in the browser (static/js/visit-form.js) under a key per
person, program and form, and carries a one-time `submission_key`: a second submit of the same
form (a double tap, a resend after a dropped connection) finds the visit the first one made.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.generic import TemplateView

from coaching import selectors_visits as selectors
from coaching import services_visits as services
from coaching.forms_visits import (
    ACTIVITY_PREFIX,
    VisitForm,
    VisitPlanForm,
    apply_service_errors,
    new_action_formset,
    new_action_rows,
)
from coaching.models import Visit, VisitStatus
from coaching.views_visits import LOG, VisitPageMixin, draft_key, remember_saved_draft
from coaching.visit_checks import MAX_NEW_ACTIONS
from psp.tenancy.pages import ProgramPageMixin

ALREADY_SAVED = (
    "This visit was already logged: the form had been sent before, so nothing new was saved."
)
PRACTICE_FIELDS = "visit-practice-fields"  # the htmx target reloaded when the practice changes
GROUPS = ("activities", "new_actions")


def chosen_practice(practices, value, *, only_one: bool = True):
    """The practice named by `value` if it is among `practices` (the caseload); else, with
    `only_one`, the caseload's practice when it has just one."""
    by_id = {str(practice.pk): practice for practice in practices}
    if value and str(value) in by_id:
        return by_id[str(value)]
    return practices[0] if only_one and len(practices) == 1 and not value else None


def typed_number(value) -> int:
    """A count typed before the practice changed (sent along by htmx), else 0."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _merge(objects, kept) -> list:
    """`objects` plus the `kept` ones missing from it (people who left the practice, goals
    achieved since, still named by the visit being edited)."""
    seen = {obj.pk for obj in objects}
    return list(objects) + [obj for obj in kept if obj.pk not in seen]


class VisitFormPage(TemplateView):
    """Shared by the log, complete and edit pages: the practice's people and goals as choices,
    the new-action rows, and the draft's key."""

    template_name = "coaching/visits/visit_form.html"
    form_mode = "log"

    def choices_for(self, practice, *, kept_people=(), kept_goals=()) -> dict:
        if practice is None:
            return {"people": [], "goals": [], "owners": [self.request.user]}
        people = _merge(selectors.practice_people(practice_id=practice.pk), kept_people)
        goals = _merge(selectors.open_goals_of(practice_id=practice.pk), kept_goals)
        return {"people": people, "goals": goals, "owners": [*people, self.request.user]}

    def build(self, data=None, *, practice, practices=(), initial=None, history=False, **kept):
        choices = self.choices_for(practice, **kept)
        form = VisitForm(
            data,
            mode=self.form_mode,
            practices=practices,
            people=choices["people"],
            goals=choices["goals"],
            history=history,
            initial=initial,
        )
        if "practice" in form.fields:
            form.fields["practice"].widget.attrs.update(
                {
                    "hx-get": self.request.path,
                    "hx-target": f"#{PRACTICE_FIELDS}",
                    "hx-swap": "outerHTML",
                    "hx-include": "#visit-new-actions, [name=other_attendees]",
                    "hx-trigger": "change",
                    "aria-controls": PRACTICE_FIELDS,
                }
            )
        formset = None
        if self.form_mode != "edit":
            formset = new_action_formset(
                data,
                owners=choices["owners"],
                goals=choices["goals"],
                me=self.request.user,
                initial=self.typed_actions(choices) if data is None else None,
            )
        return form, formset

    def typed_actions(self, choices) -> list[dict]:
        """The action rows typed before the practice changed (an htmx reload sends them), kept
        where they still make sense: an owner or goal of the old practice is dropped."""
        query = self.request.GET
        try:
            count = min(int(query.get("actions-TOTAL_FORMS", 0)), MAX_NEW_ACTIONS)
        except ValueError:
            return []
        owners = {str(person.pk) for person in choices["owners"]}
        goals = {str(goal.pk) for goal in choices["goals"]}
        rows = []
        for i in range(count):
            row = {
                "title": query.get(f"actions-{i}-title", "")[:300],
                "due_on": query.get(f"actions-{i}-due_on", "")[:10],
                "owner": query.get(f"actions-{i}-owner", ""),
                "goal": query.get(f"actions-{i}-goal", ""),
            }
            row["owner"] = row["owner"] if row["owner"] in owners else ""
            row["goal"] = row["goal"] if row["goal"] in goals else ""
            rows.append(row)
        while rows and not any(rows[-1].values()):
            rows.pop()
        return rows

    def page(self, form, formset, status=200, **context):
        context.update(
            form=form,
            formset=formset,
            form_mode=self.form_mode,
            practice_fields_id=PRACTICE_FIELDS,
            draft_key=draft_key(self.request, self.draft_name()),
        )
        return self.render_to_response(self.get_context_data(**context), status=status)

    def draft_name(self) -> str:
        raise NotImplementedError

    def saved(self, visit: Visit, message: str, submission_key=None):
        remember_saved_draft(self.request, self.draft_name(), submission_key)
        messages.success(self.request, message)
        return redirect(visit)


def planned_message(kwargs: dict) -> str:
    """The success message's second sentence when the next visit was planned too."""
    next_visit = kwargs.get("next_visit")
    if not next_visit or not next_visit.get("visit_date"):
        return ""
    day = next_visit["visit_date"]
    return f" The next visit is planned for {day.day} {day:%B %Y}."


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
                "coaching/visits/_practice_fields.html",
                {"form": form, "formset": formset, "practice_fields_id": PRACTICE_FIELDS},
            )
        return self.page(form, formset, practice=practice, practices=practices)

    def post(self, request, *args, **kwargs):
        practices = list(selectors.caseload_practices(access=self.access))
        practice = chosen_practice(practices, request.POST.get("practice"), only_one=False)
        form, formset = self.build(request.POST, practice=practice, practices=practices)
        if form.is_valid() and formset.is_valid():
            arguments = form.log_kwargs()
            again = selectors.sent_before(key=arguments["submission_key"])
            try:
                visit = services.visit_log(
                    program=request.program,
                    by=request.user,
                    new_actions=new_action_rows(formset),
                    **arguments,
                )
            except ValidationError as error:
                apply_service_errors(form, error, groups=GROUPS)
            else:
                message = ALREADY_SAVED if again else "The visit is logged."
                if not again:
                    message += planned_message(arguments)
                return self.saved(visit, message, arguments["submission_key"])
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
            arguments = form.log_kwargs()
            try:
                services.visit_complete(
                    program=request.program,
                    by=request.user,
                    visit=visit,
                    new_actions=new_action_rows(formset),
                    **arguments,
                )
            except ValidationError as error:
                apply_service_errors(form, error, groups=GROUPS)
            else:
                return self.saved(
                    visit,
                    "The visit is logged." + planned_message(arguments),
                    arguments["submission_key"],
                )
        return self.page(form, formset)


# Editing ------------------------------------------------------------------------------------


class VisitEditView(VisitPageMixin, VisitFormPage):
    """Change a visit (its own coach). A logged visit takes the log form; a planned one the
    plan form. After the visit's day, the form also asks what changed and why."""

    capability = LOG
    own_only = True
    form_mode = "edit"

    def draft_name(self) -> str:
        return f"edit-{self.visit.pk}"

    def history_applies(self) -> bool:
        return timezone.localdate() > self.visit.visit_date

    def kept(self) -> dict:
        visit = self.visit
        attendees = list(visit.attendees.select_related("person"))
        links = list(visit.goal_links.select_related("goal"))
        self.kept_attendees = [row.person for row in attendees]
        self.kept_goals = [row.goal for row in links]
        return {"kept_people": self.kept_attendees, "kept_goals": self.kept_goals}

    def get(self, request, *args, **kwargs):
        visit = self.visit
        if visit.status == VisitStatus.CANCELLED:
            messages.warning(request, "A cancelled visit cannot be changed.")
            return redirect(visit)
        if visit.status == VisitStatus.PLANNED:
            initial = {
                name: getattr(visit, name)
                for name in ("visit_date", "start_time", "mode", "duration_minutes")
            }
            initial.update(purpose=visit.purpose, notes=visit.notes)
            form = VisitPlanForm(initial=initial, history=self.history_applies())
            return self.plan_page(form)
        kept = self.kept()
        initial = {
            "visit_date": visit.visit_date,
            "start_time": visit.start_time,
            "mode": visit.mode,
            "duration_minutes": visit.duration_minutes,
            "travel_minutes": visit.travel_minutes,
            "other_attendees": visit.other_attendees,
            "purpose": visit.purpose,
            "notes": visit.notes,
            "attendees": [str(person.pk) for person in self.kept_attendees],
            "goals": [str(goal.pk) for goal in self.kept_goals],
        }
        for row in visit.activities.all():
            initial[ACTIVITY_PREFIX + row.activity] = row.minutes
        form, _ = self.build(
            practice=visit.practice, initial=initial, history=self.history_applies(), **kept
        )
        return self.page(form, None)

    def post(self, request, *args, **kwargs):
        visit = self.visit
        if visit.status == VisitStatus.PLANNED:
            form = VisitPlanForm(request.POST, history=self.history_applies())
            if form.is_valid():
                data = form.plan_kwargs()
                return self.update(form, data, form.cleaned_data.get("reason", ""), self.plan_page)
            return self.plan_page(form)
        form, _ = self.build(
            request.POST,
            practice=visit.practice,
            history=self.history_applies(),
            **self.kept(),
        )
        if form.is_valid():
            data = form.visit_fields()
            return self.update(form, data, form.cleaned_data.get("reason", ""), self.edit_page)
        return self.edit_page(form)

    def update(self, form, data, reason, show):
        try:
            services.visit_update(
                program=self.request.program,
                by=self.request.user,
                visit=self.visit,
                data=data,
                reason=reason,
            )
        except ValidationError as error:
            apply_service_errors(form, error, groups=GROUPS)
            return show(form)
        return self.saved(self.visit, "The visit is saved.")

    def edit_page(self, form):
        return self.page(form, None)

    def plan_page(self, form):
        self.template_name = "coaching/visits/plan_form.html"
        return self.page(form, None, editing=True)


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
                apply_service_errors(form, error)
            else:
                day = visit.visit_date
                return self.saved(
                    visit,
                    f"The visit is planned for {day.day} {day:%B %Y}.",
                    arguments["submission_key"],
                )
        return self.page(form, None, practices=practices)
