"""The coaching app's KPI measures (psp/measures): the dose of support (visits, hours by activity
and mode, days since the last visit), plan goals achieved, actions done on time and participant
feedback. Each is computed in its sub-package; this module only registers them (found at start-up
by kpis/apps.py)."""

from coaching.actions import measures as actions
from coaching.feedback import measures as feedback
from coaching.plans import measures as plans
from coaching.visits import measures as visits
from psp.measures.registry import register_measure

for measure in (*visits.MEASURES, *plans.MEASURES, *actions.MEASURES, *feedback.MEASURES):
    register_measure(measure)
