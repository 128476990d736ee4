"""Practice pages under /p/<program>/practices/.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model`, `<modelname>_pk` for anything else."""

from django.urls import path

from practices import views, views_actions

app_name = "practices"

urlpatterns = [
    path("", views.PracticeListView.as_view(), name="list"),
    path("new/", views.PracticeCreateView.as_view(), name="create"),
    path("options/", views.PracticeOptionsView.as_view(), name="options"),
    path("<int:pk>/", views.PracticeDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PracticeEditView.as_view(), name="edit"),
    path("<int:pk>/stage/", views_actions.StageMoveView.as_view(), name="stage_move"),
    path("<int:pk>/coaches/assign/", views_actions.CoachAssignView.as_view(), name="coach_assign"),
    path(
        "<int:practice_pk>/coaches/<int:coachassignment_pk>/unassign/",
        views_actions.CoachUnassignView.as_view(),
        name="coach_unassign",
    ),
    path(
        "<int:practice_pk>/members/<int:practicemembership_pk>/remove/",
        views_actions.MemberRemoveView.as_view(),
        name="member_remove",
    ),
]
