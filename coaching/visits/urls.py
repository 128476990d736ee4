"""Visit pages under /p/<program>/visits/.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model` (a visit). The practice to log or plan a visit for comes as ?practice=<id>."""

from django.urls import path

from coaching.visits.views import edit, pages, record

app_name = "visits"

urlpatterns = [
    path("", pages.VisitListView.as_view(), name="list"),
    path("new/", record.VisitLogView.as_view(), name="log"),
    path("plan/", record.VisitPlanView.as_view(), name="plan"),
    path("<int:pk>/", pages.VisitDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", edit.VisitEditView.as_view(), name="edit"),
    path("<int:pk>/history/", pages.VisitHistoryView.as_view(), name="history"),
    path("<int:pk>/complete/", record.VisitCompleteView.as_view(), name="complete"),
    path("<int:pk>/cancel/", pages.VisitCancelView.as_view(), name="cancel"),
]
