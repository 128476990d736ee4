"""Assessment pages under /p/<program>/assessments/.

Object kwargs follow the project convention the isolation test relies on: `pk` is the view's
`model` (an Assessment); anything else travels in the query string or the POST body (the step
as `?step=n`, the question of an autosave or a consensus as `question`)."""

from django.urls import path

from assessments.rounds.views import answer, consensus, rounds

app_name = "assessments"

urlpatterns = [
    path("", rounds.AssessmentListView.as_view(), name="list"),
    path("new/", rounds.AssessmentOpenView.as_view(), name="open"),
    path("<int:pk>/", rounds.AssessmentDetailView.as_view(), name="detail"),
    path("<int:pk>/answer/", answer.AnswerView.as_view(), name="answer"),
    path("<int:pk>/answer/save/", answer.AnswerSaveView.as_view(), name="answer_save"),
    path("<int:pk>/answer/summary/", answer.MyAnswersView.as_view(), name="my_answers"),
    path("<int:pk>/consensus/", consensus.ConsensusView.as_view(), name="consensus"),
    path(
        "<int:pk>/consensus/record/",
        consensus.ConsensusRecordView.as_view(),
        name="consensus_record",
    ),
    path("<int:pk>/submit/", consensus.AssessmentSubmitView.as_view(), name="submit"),
    path("<int:pk>/results/", rounds.AssessmentResultsView.as_view(), name="results"),
    path("<int:pk>/history/", rounds.AssessmentHistoryView.as_view(), name="history"),
]
