"""Practice pages under /p/<program>/practices/.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model`, `<modelname>_pk` for anything else."""

from django.urls import path

from practices import views, views_actions, views_people

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
    path("<int:pk>/people/", views_people.PracticePeopleView.as_view(), name="people"),
    path(
        "<int:practice_pk>/invitations/<int:invitation_pk>/resend/",
        views_people.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path(
        "<int:practice_pk>/invitations/<int:invitation_pk>/revoke/",
        views_people.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "<int:practice_pk>/members/<int:practicemembership_pk>/remove/",
        views_actions.MemberRemoveView.as_view(),
        name="member_remove",
    ),
]
