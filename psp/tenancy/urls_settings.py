"""The program settings page, under /p/<program>/settings/."""

from django.urls import path

from psp.tenancy import views

app_name = "program_settings"

urlpatterns = [path("", views.ProgramSettingsView.as_view(), name="edit")]
