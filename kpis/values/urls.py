"""Pages of kpis/values, under /p/<program>/kpis/: a practice's entry grid (and one cell saved
by htmx), the CSV import and its template."""

from django.urls import path

from kpis.values.views import grid, imports

urlpatterns = [
    path("practices/<int:practice_pk>/enter/", grid.EntryGridView.as_view(), name="enter"),
    path(
        "practices/<int:practice_pk>/enter/cell/",
        grid.EntryCellView.as_view(),
        name="enter_cell",
    ),
    path("values/import/", imports.ValuesImportView.as_view(), name="import"),
    path(
        "values/import/template.csv",
        imports.ValuesImportTemplateView.as_view(),
        name="import_template",
    ),
]
