"""The compliance app's KPI measures (psp/measures): checklists signed off on time, items failed,
open remediation actions and days overdue. Computed in compliance/followup/measures.py; this
module only registers them (found at start-up by kpis/apps.py)."""

from compliance.followup import measures as followup
from psp.measures.registry import register_measure

for measure in followup.MEASURES:
    register_measure(measure)
