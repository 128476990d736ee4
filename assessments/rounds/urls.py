"""Assessment pages under /p/<program>/assessments/.

Object kwargs follow the project convention the isolation test relies on: `pk` is the view's
`model` (an Assessment); anything else travels in the query string or the POST body (the step
as `?step=n`, the question of an autosave or a consensus as `question`)."""

from django.urls import path

from assessments import views, views_answer, views_consensus

app_name = "assessments"

urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="list"),
    path("new/", views.AssessmentOpenView.as_view(), name="open"),
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="detail"),
    path("<int:pk>/answer/", views_answer.AnswerView.as_view(), name="answer"),
    path("<int:pk>/answer/save/", views_answer.AnswerSaveView.as_view(), name="answer_save"),
    path("<int:pk>/answer/summary/", views_answer.MyAnswersView.as_view(), name="my_answers"),
    path("<int:pk>/consensus/", views_consensus.ConsensusView.as_view(), name="consensus"),
    path(
        "<int:pk>/consensus/record/",
        views_consensus.ConsensusRecordView.as_view(),
        name="consensus_record",
    ),
    path("<int:pk>/submit/", views_consensus.AssessmentSubmitView.as_view(), name="submit"),
    path("<int:pk>/results/", views.AssessmentResultsView.as_view(), name="results"),
    path("<int:pk>/history/", views.AssessmentHistoryView.as_view(), name="history"),
]
