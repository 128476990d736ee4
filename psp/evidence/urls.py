"""Evidence pages under /p/<program>/evidence/: a file's download, and the upload and remove
forms of the evidence panel."""

from django.urls import path

from psp.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.EvidenceUploadView.as_view(), name="upload"),
    path("<int:pk>/", views.EvidenceDownloadView.as_view(), name="download"),
    path("<int:pk>/remove/", views.EvidenceRemoveView.as_view(), name="remove"),
]
