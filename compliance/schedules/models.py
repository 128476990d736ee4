"""Which practices a checklist template is assigned to, from when.

An assignment names one practice, or a sector (every practice of it, including those enrolled
later), or the whole program. Assigning to "a filter" of the practice list writes one assignment
per practice the filter matched, so the choice stays what the person saw.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Sector


class ChecklistAssignment(ProgramOwned):
    template = models.ForeignKey(
        "compliance.ChecklistTemplate", on_delete=models.CASCADE, related_name="assignments"
    )
    # One of: a practice, a sector, or neither (every practice of the program).
    practice = models.ForeignKey(
        "practices.Practice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checklist_assignments",
    )
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    # No instance is made for a period ending, or an event happening, before this date.
    starts_on = models.DateField(default=timezone.localdate)
    # The program's local date the scheduler last ran for it: the next run starts from the
    # period containing it rather than from `starts_on`.
    scheduled_through = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["template", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practice__isnull=True) | models.Q(sector=""),
                name="checklist_assignment_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "is_active"], name="checklist_assignment_active"),
        ]

    def __str__(self):
        target = self.practice or self.get_sector_display() or "every practice"
        return f"{self.template} → {target}"
