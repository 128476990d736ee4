"""Support plan pages under /p/<program>/plans/.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model` (a support plan), `<modelname>_pk` for anything else (`supportplan_pk`, `plangoal_pk`,
`planaction_pk`, `assessment_pk`, `pdsacycle_pk`)."""

from django.urls import path
from django.views.generic import RedirectView

from coaching.pdsa import urls as pdsa_urls
from coaching.plans.views import items, plans

app_name = "plans"

urlpatterns = [
    path("", plans.PlanListView.as_view(), name="list"),
    # The first address of "my actions", kept for links and bookmarks: the list is actions:mine.
    path(
        "my-actions/",
        RedirectView.as_view(pattern_name="actions:mine", permanent=True, query_string=True),
        name="my_actions",
    ),
    path("draft/<int:assessment_pk>/", plans.PlanDraftView.as_view(), name="draft"),
    path("<int:pk>/", plans.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/history/", plans.PlanHistoryView.as_view(), name="history"),
    path("<int:pk>/edit/", plans.PlanEditView.as_view(), name="edit"),
    path("<int:pk>/accept/", plans.PlanAcceptView.as_view(), name="accept"),
    path("<int:pk>/complete/", plans.PlanCompleteView.as_view(), name="complete"),
    path("<int:pk>/discard/", plans.PlanDiscardView.as_view(), name="discard"),
    path("<int:supportplan_pk>/goals/new/", items.GoalAddView.as_view(), name="goal_add"),
    path("goals/<int:plangoal_pk>/edit/", items.GoalEditView.as_view(), name="goal_edit"),
    path("goals/<int:plangoal_pk>/swap/", items.GoalSwapView.as_view(), name="goal_swap"),
    path("goals/<int:plangoal_pk>/remove/", items.GoalRemoveView.as_view(), name="goal_remove"),
    path("goals/<int:plangoal_pk>/actions/new/", items.ActionAddView.as_view(), name="action_add"),
    path("actions/<int:planaction_pk>/edit/", items.ActionEditView.as_view(), name="action_edit"),
    path(
        "actions/<int:planaction_pk>/remove/",
        items.ActionRemoveView.as_view(),
        name="action_remove",
    ),
    *pdsa_urls.urlpatterns,
]
