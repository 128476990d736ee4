"""REST endpoints for checklist templates and packs, under /api/v1/programs/<program>/
(psp/api/urls.py reads `routes`):

    checklist-templates/                  list (compliance.view), create from a document
                                          (compliance.define); filters sector, recurrence,
                                          is_active
    checklist-templates/{id}/             read, with the current version's sections and items;
                                          change details and schedule (compliance.define)
    checklist-templates/{id}/draft/       the draft: read, replace its sections (define)
    checklist-templates/{id}/publish/     publish the draft (define)
    checklist-templates/{id}/new-version/ start a draft from the current version (define)
    checklist-templates/{id}/versions/    its versions, newest first (compliance.view)
    checklist-templates/{id}/history/     its history (define)
    checklist-packs/                      the shipped packs; `load/` loads some (define)
"""

from compliance.checklists.api.viewsets import ChecklistPackViewSet, ChecklistTemplateViewSet

routes = [
    ("checklist-templates", ChecklistTemplateViewSet, "checklist-templates"),
    ("checklist-packs", ChecklistPackViewSet, "checklist-packs"),
]
