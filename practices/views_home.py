"""A program's home page, by role: the program funnel for admins and managers, the caseload for
coaches, their own practice for practice leads and staff."""

from django.views.generic import TemplateView

from practices import selectors
from practices.views import stage_steps
from psp.tenancy.pages import ProgramPageMixin


def with_bars(rows: list[dict]) -> list[dict]:
    """Add `pct` to each row: its count as a share of the largest, in steps of 5 (the CSS has
    one width per step, so the page needs no inline styles under a strict CSP)."""
    largest = max((row["count"] for row in rows), default=0)
    for row in rows:
        pct = round(row["count"] / largest * 20) * 5 if largest else 0
        row["pct"] = max(pct, 5) if row["count"] else 0
    return rows


class ProgramHomeView(ProgramPageMixin, TemplateView):
    template_name = "home/program_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = self.access
        if access.is_admin or access.is_manager:
            by_stage = with_bars(selectors.practices_by_stage(access=access))
            context.update(
                view="overview",
                by_stage=by_stage,
                total=sum(row["count"] for row in by_stage),
                sustaining=by_stage[-1]["count"],
                by_sector=with_bars(selectors.practices_by_sector(access=access)),
                recent_moves=selectors.recent_stage_moves(access=access),
            )
        elif access.is_coach:
            context.update(
                view="caseload",
                caseload=selectors.coach_caseload(access=access, coach=self.request.user),
            )
        else:
            practices = list(selectors.practices_for_member(access=access))
            for practice in practices:
                practice.steps = stage_steps(practice.stage)
            context.update(view="practice", my_practices=practices)
        return context
