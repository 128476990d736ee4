"""Editing a visit (its own coach only): a logged visit takes the log form, a planned one the
plan form; after the visit's day the form also asks what changed and why."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from coaching.visits import services
from coaching.visits.forms import ACTIVITY_PREFIX, VisitPlanForm
from coaching.visits.models import VisitStatus
from coaching.visits.views.form_page import GROUPS, VisitFormPage
from coaching.visits.views.pages import LOG, VisitPageMixin
from psp.forms import add_service_errors


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
            add_service_errors(form, error, groups=GROUPS)
            return show(form)
        return self.saved(self.visit, "The visit is saved.")

    def edit_page(self, form):
        return self.page(form, None)

    def plan_page(self, form):
        self.template_name = "coaching/visits/plan_form.html"
        return self.page(form, None, editing=True)
