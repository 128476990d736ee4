"""A person's own CPD: "My CPD" (their activities by cycle, drafts to confirm on top), recording
an activity and correcting one. Everyone in the program records their own (cpd.record); someone
no scheme applies to records all the same, and the page says what that means."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from cpd.activities import selectors, services
from cpd.activities.evidence import CODE
from cpd.activities.forms import ActivityForm
from cpd.activities.models import ActivityStatus, ActivityType
from cpd.activities.views.common import (
    RECORD,
    VIEW,
    ActivityPageMixin,
    CpdPageMixin,
    ServiceFormMixin,
)
from cpd.credentials.selectors import mark_documents
from cpd.progress.views import reads_completion
from cpd.schemes.cycles import cycle_for
from psp.evidence.selectors import files_of


def activity_list_context(activities) -> dict:
    """What the activity lists show (My CPD, a person's page): drafts, cycles, category names."""
    drafts, groups = selectors.by_cycle(activities)
    mark_documents(groups, today=timezone.localdate())  # the transcript and certificate buttons
    names = selectors.category_names(group.cycle for group in groups)
    for activity in activities:
        activity.category_name = names.get(activity.cycle_id, {}).get(
            activity.category, activity.category
        )
    return {"drafts": drafts, "groups": groups, "activity_count": len(activities)}


class MyCpdView(CpdPageMixin, TemplateView):
    capability = RECORD
    template_name = "cpd/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, program = self.request.user, self.request.program
        today = timezone.localdate()
        activities = list(selectors.person_activities(person=person))
        context.update(activity_list_context(activities))
        context["rules"] = selectors.person_rules(program=program, person=person, on=today)
        context["cycle"] = cycle_for(program=program, person=person, on=today, create=False)
        context["evidence_asked"] = [a for a in activities if a.evidence_requested]
        context["is_verifier"] = selectors.can_verify(self.access)
        if context["is_verifier"]:
            context["waiting"] = selectors.queue_count(access=self.access)
        context["reads_others"] = self.access.can(VIEW)
        context["reads_completion"] = reads_completion(self.access)
        return context


class ActivityFormMixin(ServiceFormMixin):
    """The record and edit forms: the activity's type decides the fields below it. A change of
    type redraws them (htmx asks the same page for the form with `activity_type`; without
    JavaScript, saving with another type shows its questions first, see ActivityForm)."""

    form_class = ActivityForm
    template_name = "cpd/activity_form.html"

    def rules_day(self):
        return timezone.localdate()

    def chosen_type(self) -> str:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        chosen = source.get("activity_type", "")
        return chosen if chosen in ActivityType.values else self.default_type()

    def default_type(self) -> str:
        return ActivityType.WORKSHOP

    def get_initial(self):
        initial = super().get_initial()
        if self.request.method == "GET" and self.request.htmx:
            # The type changed: keep what was typed so far.
            initial.update({k: v for k, v in self.request.GET.items() if k != "shown_type"})
        initial["activity_type"] = self.chosen_type()
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["activity_type"] = self.chosen_type()
        kwargs["person_rules"] = self.person_rules()
        return kwargs

    def person_rules(self):
        if not hasattr(self, "_person_rules"):
            self._person_rules = selectors.person_rules(
                program=self.request.program, person=self.request.user, on=self.rules_day()
            )
        return self._person_rules

    def get_context_data(self, **kwargs):
        return super().get_context_data(person_rules=self.person_rules(), **kwargs)

    def submitting(self) -> bool:
        return "submit" in self.request.POST

    def get_success_message(self, activity) -> str:
        done = {
            ActivityStatus.SUBMITTED: "sent for verification",
            ActivityStatus.DRAFT: "saved as a draft: submit it when it is ready",
        }.get(activity.status, "recorded")
        if activity.cycle_id is None:
            return f"“{activity.title}” is {done}. No CPD scheme applies to it, so no credits."
        return f"“{activity.title}” is {done}: {activity.credits} credits."


class RecordView(ActivityFormMixin, CpdPageMixin, FormView):
    capability = RECORD

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Record a CPD activity", **kwargs)

    def perform(self, form):
        return services.activity_record(
            program=self.request.program,
            by=self.request.user,
            data=form.service_data(),
            submit=self.submitting(),
            **form.evidence(),
        )


class EditView(ActivityFormMixin, ActivityPageMixin, FormView):
    own_only = True

    def get(self, request, *args, **kwargs):
        if self.activity.status not in selectors.EDITABLE:
            return self._not_editable()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.activity.status not in selectors.EDITABLE:
            return self._not_editable()
        return super().post(request, *args, **kwargs)

    def _not_editable(self):
        status = self.activity.get_status_display().lower()
        messages.error(self.request, f"This activity is {status}; it can no longer be changed.")
        return redirect(self.activity)

    def rules_day(self):
        return self.activity.ended_on

    def get_form_kwargs(self):
        attached = files_of(subject_type=CODE, subject_id=self.activity.pk).count()
        return {**super().get_form_kwargs(), "files_attached": attached}

    def default_type(self) -> str:
        return self.activity.activity_type

    def get_initial(self):
        a = self.activity
        initial = {
            "title": a.title,
            "provider": a.provider,
            "started_on": a.started_on,
            "ended_on": a.ended_on if a.ended_on != a.started_on else None,
            "hours": a.hours,
            "items": a.items,
            "category": a.category,
            **{f"reflection_{key}": text for key, text in a.reflection.items()},
        }
        return initial | super().get_initial()

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Edit the activity", **kwargs)

    @transaction.atomic
    def perform(self, form):
        activity = services.activity_update(
            program=self.request.program,
            activity=self.activity,
            by=self.request.user,
            data=form.service_data(),
            submit=self.submitting(),
            **form.evidence(),
        )
        if "confirm" in self.request.POST and activity.status == ActivityStatus.DRAFT:
            # A drafted claim, checked and confirmed at once; the edit is undone if it cannot be.
            return services.activity_confirm(
                program=self.request.program, activity=activity, by=self.request.user
            )
        return activity
