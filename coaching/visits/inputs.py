"""What a logged visit brings, as one value: the input of logging a visit and of completing a
planned one (coaching/visits/services/log.py). The log form and the API's log and complete
bodies each build one (`to_input()`); the rules it must meet are checked by the service
(coaching/visits/checks.py), so a VisitInput may hold anything its shape allows."""

from dataclasses import dataclass, field, fields
from datetime import date, time

from coaching.visits.models import VisitMode


@dataclass(frozen=True, kw_only=True)
class VisitInput:
    """A visit as logged: when, how, how long and on what (minutes by activity, adding up to
    the duration), who came, the plan goals worked on, its purpose and notes."""

    visit_date: date | None
    duration_minutes: int | None
    activities: dict[str, int] = field(default_factory=dict)
    start_time: time | None = None
    mode: str = VisitMode.ON_SITE
    travel_minutes: int = 0
    attendees: tuple = ()  # people (users) of the practice
    other_attendees: int = 0
    goals: tuple = ()  # PlanGoal rows of the practice's plans
    purpose: str = ""
    notes: str = ""

    def __post_init__(self):
        # Lists from a form or a body become tuples: the value stays one value once made.
        object.__setattr__(self, "attendees", tuple(self.attendees or ()))
        object.__setattr__(self, "goals", tuple(self.goals or ()))
        object.__setattr__(self, "activities", dict(self.activities or {}))

    def values(self) -> dict:
        """The fields by name, as the checks take them (no copies of the people and goals)."""
        return {item.name: getattr(self, item.name) for item in fields(self)}
