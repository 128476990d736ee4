"""Visit pages under /p/<program>/visits/.

Object kwargs follow the project convention the isolation test relies on: `pk` for the view's
`model` (a visit). The practice to log or plan a visit for comes as ?practice=<id>."""

from django.urls import path

from coaching import views_visit_forms as forms
from coaching import views_visits as visits

app_name = "visits"

urlpatterns = [
    path("", visits.VisitListView.as_view(), name="list"),
    path("new/", forms.VisitLogView.as_view(), name="log"),
    path("plan/", forms.VisitPlanView.as_view(), name="plan"),
    path("<int:pk>/", visits.VisitDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", forms.VisitEditView.as_view(), name="edit"),
    path("<int:pk>/history/", visits.VisitHistoryView.as_view(), name="history"),
    path("<int:pk>/complete/", forms.VisitCompleteView.as_view(), name="complete"),
    path("<int:pk>/cancel/", visits.VisitCancelView.as_view(), name="cancel"),
]
