"""A practice's coaching pages under /p/<program>/practices/<practice_pk>/: its timeline and
its dose of support (page and CSV; the views are the caseload's, coaching/caseload/views.py).
One namespace, `practice_coaching`, for both. The practices app links here only through
templates."""

from django.urls import path

from coaching.caseload import views as caseload_views
from coaching.timeline import views

app_name = "practice_coaching"

urlpatterns = [
    path("timeline/", views.PracticeTimelineView.as_view(), name="timeline"),
    path("dose/", caseload_views.PracticeDoseView.as_view(), name="dose"),
    path("dose.csv", caseload_views.PracticeDoseCsvView.as_view(), name="dose_csv"),
]
