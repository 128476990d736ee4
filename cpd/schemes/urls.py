"""Pages of cpd/schemes, under /p/<program>/cpd/schemes/ in the `cpd_schemes` namespace."""

from django.urls import path

from cpd.schemes import views, views_people

app_name = "cpd_schemes"

urlpatterns = [
    path("", views.SchemeListView.as_view(), name="list"),
    path("templates/", views.TemplatesView.as_view(), name="templates"),
    path("new/", views.SchemeCreateView.as_view(), name="new"),
    path("verifiers/", views_people.VerifiersView.as_view(), name="verifiers"),
    path(
        "verifiers/<int:pk>/remove/",
        views_people.VerifierRemoveView.as_view(),
        name="verifier_remove",
    ),
    path("<int:pk>/", views.SchemeDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.SchemeEditView.as_view(), name="edit"),
    path("<int:pk>/rules/", views.SchemeRulesView.as_view(), name="rules"),
    path("<int:pk>/applies-to/", views_people.AppliesToView.as_view(), name="applies_to"),
]
