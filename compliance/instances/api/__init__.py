"""The checklists API: serializers.py and viewsets.py; the routes psp/api/urls.py registers."""

from compliance.instances.api.viewsets import ChecklistResponseViewSet, ChecklistViewSet

routes = [
    ("checklists", ChecklistViewSet, "checklists"),
    ("checklist-responses", ChecklistResponseViewSet, "checklist-responses"),
]
