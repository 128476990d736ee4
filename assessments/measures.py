"""The assessments app's KPI measures (psp/measures): the change in scores from a practice's
baseline, overall and by domain. Computed in assessments/rounds/measures.py; registered here
(found at start-up by kpis/apps.py)."""

from assessments.rounds import measures as rounds
from psp.measures.registry import register_measure

for measure in rounds.MEASURES:
    register_measure(measure)
