"""REST endpoints for CPD schemes and verifiers, under /api/v1/programs/<program>/
(psp/api/urls.py reads `routes`):

    cpd-schemes/                      list (cpd.record: everyone), create (cpd.define); filter
                                      is_active
    cpd-schemes/{id}/                 read (cpd.record); change (cpd.define): details, reach,
                                      and `rules` (a changed document writes a new version)
    cpd-schemes/{id}/versions/        its rules versions, newest first (cpd.record)
    cpd-schemes/{id}/history/         its history (cpd.define)
    cpd-schemes/load-template/        load a shipped template (cpd.define)
    cpd-verifiers/                    the named verifiers: list, name, remove (cpd.define)
"""

from cpd.schemes.api.viewsets import CpdSchemeViewSet, CpdVerifierViewSet

routes = [
    ("cpd-schemes", CpdSchemeViewSet, "cpd-schemes"),
    ("cpd-verifiers", CpdVerifierViewSet, "cpd-verifiers"),
]
