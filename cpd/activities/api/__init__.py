"""The CPD activities API: serializers.py and viewsets.py; the routes psp/api/urls.py registers."""

from cpd.activities.api.viewsets import CpdActivityViewSet, CpdOfferingViewSet

routes = [
    ("cpd-activities", CpdActivityViewSet, "cpd-activities"),
    ("cpd-offerings", CpdOfferingViewSet, "cpd-offerings"),
]
