"""What "Actions" opens, by role: for program managers and admins the program's actions, by
default those overdue, grouped by practice or by coach; for everyone else their own actions
("my actions", views.MyActionListView).

A manager owns few actions, if any, and follows up everyone's: their own list was empty while
dozens were overdue across the program. The program's list takes the same filters as the other
lists and the API (PlanActionFilter); "my actions" is that list filtered to themselves.
"""

from coaching.actions import selectors
from coaching.actions.views import ActionListView, MyActionListView
from psp.forms_fields import person_label

GROUPS = {"practice": "Practice", "coach": "Coach"}
# Parameters of the page rather than filters: a query string of only these is the landing, which
# shows what is overdue.
PAGE_PARAMS = {"page", "group"}


def sees_the_program(access) -> bool:
    return access.is_admin or access.is_manager


class ProgramActionListView(ActionListView):
    """Every action in play across the program, grouped by practice (the default) or by the
    practice's coach (`?group=coach`); overdue ones only until the person picks filters."""

    owner_empty_label = "Anyone"

    def owner_choices(self):
        return selectors.action_owners(access=self.access)

    def landing(self) -> bool:
        return not set(self.request.GET) - PAGE_PARAMS

    def default_filters(self) -> dict:
        defaults = super().default_filters()
        if self.landing():
            defaults["overdue"] = "true"
        return defaults

    def narrowed(self, filters):
        group = self.request.GET.get("group")
        self.group = group if group in GROUPS else "practice"
        self.show_practice = self.group != "practice"  # by practice, its heading names it
        filters.queryset = selectors.with_practice_coach(filters.queryset)
        return filters

    def get_queryset(self):
        self.filtered = selectors.grouped(super().get_queryset(), self.group)
        return self.filtered

    def title(self) -> str:
        owner = self.chosen_owner
        if owner is not None:
            return (
                "My actions" if owner == self.request.user else f"Actions of {person_label(owner)}"
            )
        if self.filters.cleaned.get("overdue"):
            return "Overdue actions across the program"
        return "Actions across the program"

    def get_context_data(self, **kwargs):
        me = self.request.user
        mine = selectors.followup_actions(access=self.access, owner_id=me.pk, statuses=())
        context = super().get_context_data(
            title=self.title(),
            owner=self.chosen_owner,
            group_by=self.group,
            groups=GROUPS,
            landing=self.landing(),
            owns_actions=self.chosen_owner != me and mine.exists(),
            **kwargs,
        )
        # Each row's group and how many actions the group holds on every page, for its heading.
        counts = selectors.group_counts(self.filtered, self.group)
        for action in context["actions"]:
            action.group_key = action.practice_id if self.group == "practice" else action.coach_pk
            action.group_count = counts.get(action.group_key, 0)
        return context


_program_list = ProgramActionListView.as_view()
_my_list = MyActionListView.as_view()


def actions_home(request, *args, **kwargs):
    """The actions list for the person's role (see the module's docstring)."""
    access = getattr(request, "access", None)
    view = _program_list if access is not None and sees_the_program(access) else _my_list
    return view(request, *args, **kwargs)
