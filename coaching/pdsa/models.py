"""PDSA cycles: the small tests of change a practice runs towards a goal of its plan.

A cycle moves through its stages in order, each move completing the stage it leaves: planned
(the change idea, the prediction, the KPI to watch), started (on a date), done (what was done),
studied (what happened against the prediction, on a date), and acted on (adopt, adapt or abandon,
on a date). An adapted cycle is usually followed by the next one, which names it as `previous`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from psp.tenancy.base import ProgramOwned


class PdsaStage(models.TextChoices):
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    STUDY = "study", "Study"
    ACT = "act", "Act"
    ENDED = "ended", "Ended"


# The order the stages move in; a cycle moves one step at a time.
STAGE_ORDER = [PdsaStage.PLAN, PdsaStage.DO, PdsaStage.STUDY, PdsaStage.ACT, PdsaStage.ENDED]


class PdsaDecision(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


class PdsaCycle(ProgramOwned):
    # The goal's practice, kept on the row so a practice's cycles (for its KPI charts) are one
    # indexed read without joining plans.
    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="pdsa_cycles"
    )
    goal = models.ForeignKey(
        "coaching.PlanGoal", on_delete=models.CASCADE, related_name="pdsa_cycles"
    )
    number = models.PositiveSmallIntegerField(default=1)  # 1, 2, ... on its goal
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles"
    )
    stage = models.CharField(max_length=10, choices=PdsaStage.choices, default=PdsaStage.PLAN)
    # Plan
    change_idea = models.CharField("change to test", max_length=300)
    prediction = models.TextField(help_text="What you expect to happen, and by how much.")
    kpi_key = models.SlugField("KPI to watch", max_length=80, blank=True)
    planned_start = models.DateField(null=True, blank=True)
    # Do
    started_on = models.DateField(null=True, blank=True)
    what_done = models.TextField("what was done", blank=True)
    # Study
    result = models.TextField("what happened against the prediction", blank=True)
    studied_on = models.DateField(null=True, blank=True)
    # Act
    decision = models.CharField(max_length=10, choices=PdsaDecision.choices, blank=True)
    act_notes = models.TextField("notes on the decision", blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["goal", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "goal", "number"], name="pdsa_cycle_number_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["program", "practice", "kpi_key", "started_on"], name="pdsa_practice_kpi"
            ),
            models.Index(fields=["program", "started_on"], name="pdsa_started"),
        ]

    def __str__(self):
        return f"PDSA {self.number}: {self.change_idea}"

    def get_absolute_url(self):
        return reverse(
            "plans:pdsa_detail", kwargs={"program": self.program_slug(), "pdsacycle_pk": self.pk}
        )

    @property
    def is_ended(self) -> bool:
        return self.stage == PdsaStage.ENDED

    @property
    def next_stage(self) -> str | None:
        index = STAGE_ORDER.index(self.stage)
        return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
