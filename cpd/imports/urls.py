"""The CPD transcript import under /p/<program>/cpd/import/ (namespace `cpd_imports`)."""

from django.urls import path

from cpd.imports import views

app_name = "cpd_imports"

urlpatterns = [
    path("", views.TranscriptImportView.as_view(), name="import"),
    path("template.csv", views.TranscriptTemplateView.as_view(), name="template"),
]
