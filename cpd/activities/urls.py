"""CPD activity and progress pages under /p/<program>/cpd/ (namespace `cpd`)."""

from django.urls import path

from cpd.activities.views import activity, mine, offerings, others
from cpd.progress import views as progress

app_name = "cpd"

urlpatterns = [
    path("", mine.MyCpdView.as_view(), name="mine"),
    path("new/", mine.RecordView.as_view(), name="record"),
    path("progress/", progress.MyProgressView.as_view(), name="progress"),
    path("completion/", progress.CompletionView.as_view(), name="completion"),
    path("completion.csv", progress.CompletionCsvView.as_view(), name="completion_csv"),
    path("activities/<int:pk>/", activity.ActivityDetailView.as_view(), name="detail"),
    path("activities/<int:pk>/edit/", mine.EditView.as_view(), name="edit"),
    path("activities/<int:pk>/submit/", activity.SubmitView.as_view(), name="submit"),
    path("activities/<int:pk>/confirm/", activity.ConfirmView.as_view(), name="confirm"),
    path("activities/<int:pk>/delete/", activity.DeleteView.as_view(), name="delete"),
    path("activities/<int:pk>/evidence/", activity.EvidenceView.as_view(), name="evidence"),
    path("activities/<int:pk>/verify/", activity.VerifyView.as_view(), name="verify"),
    path("activities/<int:pk>/reject/", activity.RejectView.as_view(), name="reject"),
    path(
        "activities/<int:pk>/request-evidence/",
        activity.EvidenceRequestView.as_view(),
        name="request_evidence",
    ),
    path("verify/", others.QueueView.as_view(), name="queue"),
    path("people/", others.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", others.PersonView.as_view(), name="person"),
    path("offerings/", offerings.OfferingListView.as_view(), name="offerings"),
    path("offerings/new/", offerings.OfferingCreateView.as_view(), name="offering_new"),
    path("offerings/<int:pk>/", offerings.OfferingDetailView.as_view(), name="offering"),
    path(
        "offerings/<int:pk>/attendees/",
        offerings.OfferingAttendeesView.as_view(),
        name="offering_attendees",
    ),
]
