"""The KPI pages, /p/<program>/kpis/...: one namespace, each sub-package's own patterns."""

from kpis.dashboard import urls as dashboard_urls
from kpis.definitions import urls as definitions_urls
from kpis.practice import urls as practice_urls
from kpis.values import urls as values_urls

app_name = "kpis"

urlpatterns = [
    *dashboard_urls.urlpatterns,
    *definitions_urls.urlpatterns,
    *values_urls.urlpatterns,
    *practice_urls.urlpatterns,
]
