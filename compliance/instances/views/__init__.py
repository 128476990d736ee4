"""A practice's checklists and one checklist's pages (answering, evidence, sign-off,
corrections, failed items made actions, history); compliance/urls.py routes them."""
