"""The public check of CPD transcripts and certificates, outside any program (the code names
the program): /verify/ and /verify/<code>/."""

from django.urls import path

from cpd.credentials import views

app_name = "verify"
urlpatterns = [
    path("", views.verify, name="check"),
    path("<str:code>/", views.verify_code, name="code"),
]
