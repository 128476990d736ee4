"""The CPD app's KPI measures (psp/measures): people on pace with their CPD, credits per person
and the share of credits verified. Each is computed in its sub-package; this module only
registers them (found at start-up by kpis/apps.py)."""

from cpd.activities import measures as activities
from cpd.progress import measures as progress
from psp.measures.registry import register_measure

for measure in (*progress.MEASURES, *activities.MEASURES):
    register_measure(measure)
