"""What the visit form pages share: the practice's people and goals as choices, the rows for
new actions (kept when the practice changes), the draft's key, and the message once saved.

Each form keeps an unsaved draft in the browser (static/js/visit-form.js) under a key per
person, program and form, and carries a one-time `submission_key`: a second submit of the same
form (a double tap, a resend after a dropped connection) finds the visit the first one made.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from coaching.visits import selectors
from coaching.visits.checks import MAX_NEW_ACTIONS
from coaching.visits.forms import VisitForm, new_action_formset
from coaching.visits.models import Visit
from coaching.visits.views.pages import draft_key, remember_saved_draft

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


def planned_message(next_visit: dict | None) -> str:
    """The success message's second sentence when the next visit was planned too."""
    if not next_visit or not next_visit.get("visit_date"):
        return ""
    day = next_visit["visit_date"]
    return f" The next visit is planned for {day.day} {day:%B %Y}."
