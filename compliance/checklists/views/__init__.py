"""Pages of checklist templates under /p/<program>/compliance/templates/ (namespace
`compliance_templates`): base.py (access and fetching), templates.py (the list, packs, a new
template, one template, its settings), versions.py (a version, publishing, new versions) and
drafting.py (a draft's sections and items)."""
