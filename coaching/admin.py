"""The Django admin for platform operators: every program's support plans, goals and actions,
visits, feedback and caseload rules.

Cross-program on purpose, through psp/tenancy/admin.py's base (the loudly named `all_programs`
manager; a row is edited inside its own program's scope). Plans are drafted and worked in the
program pages, where the permission matrix applies, so operators can look and fix a field but
not add rows, and the links that hold a plan together (practice, assessment, plan, goal) are
read-only here. The same goes for visits; action status histories and feedback are records and
cannot be changed at all (the change history of plans, visits and actions is psp/history's).
"""

from django import forms
from django.contrib import admin

from coaching.actions import selectors as action_selectors
from coaching.models import (
    ActionStatusChange,
    CaseloadRules,
    FeedbackInvite,
    FeedbackResponse,
    PlanAction,
    PlanGoal,
    SupportPlan,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
)
from psp.tenancy.admin import ProgramOwnedAdmin


class PlanPartAdmin(ProgramOwnedAdmin):
    def has_add_permission(self, request):
        return False


@admin.register(SupportPlan)
class SupportPlanAdmin(PlanPartAdmin):
    list_display = ["title", "practice", "program", "status", "created_at", "accepted_at"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "practice"]
    search_fields = ["title", "practice__name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["created_by", "accepted_by"]
    readonly_fields = [
        "practice",
        "assessment",
        "created_at",
        "accepted_at",
        "completed_at",
        "updated_at",
    ]


@admin.register(PlanGoal)
class PlanGoalAdmin(PlanPartAdmin):
    list_display = ["title", "plan", "program", "domain_name", "status", "target_date"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "plan"]
    search_fields = ["title", "plan__title", "domain_name"]
    readonly_fields = ["plan", "change_idea", "domain_key", "domain_name", "baseline_percent"]


class PlanActionAdminForm(forms.ModelForm):
    def clean_owner(self):
        # The same rule as the service; the admin edits a row inside its program's scope.
        owner = self.cleaned_data.get("owner")
        practice_id = self.instance.practice_id
        if (
            owner
            and not action_selectors.owner_choices(practice=practice_id)
            .filter(pk=owner.pk)
            .exists()
        ):
            raise forms.ValidationError(
                "Choose someone from this practice, or one of the program's coaches or admins."
            )
        return owner


class RecordInline(admin.TabularInline):
    """Rows that are the record of what happened: shown, never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActionStatusChangeInline(RecordInline):
    model = ActionStatusChange
    fields = ["changed_at", "from_status", "to_status", "note", "changed_by"]
    readonly_fields = fields


@admin.register(PlanAction)
class PlanActionAdmin(PlanPartAdmin):
    form = PlanActionAdminForm
    list_display = ["title", "practice", "plan", "program", "owner", "due_on", "status"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "practice", "plan", "owner"]
    search_fields = ["title", "practice__name", "plan__title", "owner__email", "owner__full_name"]
    raw_id_fields = ["owner"]
    readonly_fields = [
        "practice",
        "plan",
        "goal",
        "visit",
        "completed_at",
        "created_at",
        "created_by",
        "updated_at",
    ]
    inlines = [ActionStatusChangeInline]


# Visits --------------------------------------------------------------------------------------


class VisitActivityInline(RecordInline):
    model = VisitActivity
    fields = ["activity", "minutes"]
    readonly_fields = fields


class VisitAttendeeInline(RecordInline):
    model = VisitAttendee
    fields = ["person"]
    readonly_fields = fields


class VisitGoalInline(RecordInline):
    model = VisitGoal
    fields = ["goal"]
    readonly_fields = fields


@admin.register(Visit)
class VisitAdmin(PlanPartAdmin):
    list_display = [
        "visit_date",
        "practice",
        "coach",
        "program",
        "mode",
        "status",
        "duration_minutes",
    ]
    list_filter = ["program", "status", "mode"]
    list_select_related = ["program", "practice", "coach"]
    search_fields = ["practice__name", "coach__email", "coach__full_name", "purpose"]
    date_hierarchy = "visit_date"
    readonly_fields = [
        "practice",
        "coach",
        "status",
        "logged_at",
        "cancelled_at",
        "cancelled_by",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]
    inlines = [VisitActivityInline, VisitAttendeeInline, VisitGoalInline]


# Feedback and caseload rules ---------------------------------------------------------------


@admin.register(FeedbackInvite)
class FeedbackInviteAdmin(PlanPartAdmin):
    list_display = ["visit", "person", "program", "created_at", "emailed_at", "answered_at"]
    list_filter = ["program"]
    list_select_related = ["program", "visit", "visit__practice", "person"]
    readonly_fields = [
        "visit",
        "person",
        "created_at",
        "emailed_at",
        "answered_at",
        "declined_at",
    ]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(PlanPartAdmin):
    """Anonymous answers: no person is stored, so none can be shown."""

    list_display = ["visit", "program", "usefulness", "would_recommend", "submitted_on"]
    list_filter = ["program"]
    list_select_related = ["program", "visit", "visit__practice"]
    readonly_fields = ["visit", "usefulness", "would_recommend", "comment", "submitted_on"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseloadRules)
class CaseloadRulesAdmin(PlanPartAdmin):
    list_display = [
        "program",
        "attention_days_without_visit",
        "stalled_days_without_visit",
        "updated_at",
    ]
    readonly_fields = ["updated_at", "updated_by"]
