"""REST endpoints for support plans and their goals (actions: coaching/actions/api.py).

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`). Writes go
through the services with the program from the scope; `program` is never read from input, and
ids of related objects (plan, goal, owner, change idea, assessment) are looked up inside the
program only, so a foreign id is a field error. The serializers are in serializers.py, the
viewsets in viewsets.py.
"""

from coaching.plans.api.viewsets import PlanGoalViewSet, SupportPlanViewSet

routes = [
    ("plans", SupportPlanViewSet, "plans"),
    ("plan-goals", PlanGoalViewSet, "plan-goals"),
]
