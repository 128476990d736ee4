"""A practice's coaching pages under /p/<program>/practices/<practice_pk>/: its timeline and
its dose of support (page and CSV). The practices app links here only through templates."""

from django.urls import path

from coaching import views_dose, views_timeline

app_name = "practice_coaching"

urlpatterns = [
    path("timeline/", views_timeline.PracticeTimelineView.as_view(), name="timeline"),
    path("dose/", views_dose.PracticeDoseView.as_view(), name="dose"),
    path("dose.csv", views_dose.PracticeDoseCsvView.as_view(), name="dose_csv"),
]
