"""Action follow-up pages under /p/<program>/actions/: the actions list for the person's role
(the program's for managers and admins, their own for everyone else; `mine` is the name the
navigation's "Actions" links to), a practice's actions, one action with its history, and moving
an action along.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model` (an action), `<modelname>_pk` for anything else (`practice_pk`)."""

from django.urls import path

from coaching.actions import views, views_program

app_name = "actions"

urlpatterns = [
    path("", views_program.actions_home, name="mine"),
    path("practice/<int:practice_pk>/", views.PracticeActionListView.as_view(), name="practice"),
    path("<int:pk>/", views.ActionDetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.ActionStatusView.as_view(), name="status"),
]
