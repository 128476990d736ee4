"""Pages of kpis/definitions, under /p/<program>/kpis/ in the `kpis` namespace."""

from django.urls import path

from kpis.definitions import views, views_targets

urlpatterns = [
    path("definitions/", views.DefinitionListView.as_view(), name="definitions"),
    path("definitions/new/", views.DefinitionCreateView.as_view(), name="definition_new"),
    path("definitions/packs/", views.PackListView.as_view(), name="packs"),
    path("definitions/<int:pk>/", views.DefinitionDetailView.as_view(), name="definition"),
    path("definitions/<int:pk>/edit/", views.DefinitionEditView.as_view(), name="definition_edit"),
    path(
        "definitions/<int:pk>/targets/",
        views_targets.DefinitionTargetsView.as_view(),
        name="definition_targets",
    ),
]
