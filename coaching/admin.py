"""The Django admin for platform operators: every program's support plans, goals and actions.

Cross-program on purpose, through psp/tenancy/admin.py's base (the loudly named `all_programs`
manager; a row is edited inside its own program's scope). Plans are drafted and worked in the
program pages, where the permission matrix applies, so operators can look and fix a field but
not add rows, and the links that hold a plan together (practice, assessment, plan, goal) are
read-only here.
"""

from django import forms
from django.contrib import admin

from coaching import selectors
from coaching.models import PlanAction, PlanGoal, SupportPlan
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
        practice_id = self.instance.plan.practice_id
        if owner and not selectors.owner_choices(practice=practice_id).filter(pk=owner.pk).exists():
            raise forms.ValidationError(
                "Choose someone from this practice, or one of the program's coaches or admins."
            )
        return owner


@admin.register(PlanAction)
class PlanActionAdmin(PlanPartAdmin):
    form = PlanActionAdminForm
    list_display = ["title", "plan", "program", "owner", "due_on", "status"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "plan", "owner"]
    search_fields = ["title", "plan__title", "owner__email", "owner__full_name"]
    raw_id_fields = ["owner"]
    readonly_fields = ["plan", "goal", "completed_at", "created_at", "updated_at"]
