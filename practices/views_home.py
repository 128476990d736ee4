"""A program's home page, by role: the program funnel for admins and managers, the caseload for
coaches, their own practice for practice leads and staff."""

from django.views.generic import TemplateView

from practices import selectors
from practices.views import stage_steps
from psp.accounts.models import PracticeRole
from psp.tenancy.pages import ProgramPageMixin

# "Signed in as practice lead of …": the practice role and the word before the practice's name.
ROLE_AT = {PracticeRole.LEAD: "of", PracticeRole.STAFF: "at"}


def signed_in_as(access, practices) -> str:
    """The person's role as the home page names it: their program role, or for practice people
    their role in each of their practices ("practice lead of Northshore …"). Reads nothing:
    `practices` are theirs, and their practice roles were read to find them."""
    roles = access.practice_roles
    named = [
        f"{PracticeRole(roles[p.pk]).label.lower()} {ROLE_AT[roles[p.pk]]} {p.name}"
        for p in practices
        if p.pk in roles
    ]
    if not named:
        return access.membership.get_role_display().lower()
    return " and ".join(named)


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
        context["signed_in_as"] = access.membership.get_role_display().lower()
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
            context.update(
                view="practice",
                my_practices=practices,
                signed_in_as=signed_in_as(access, practices),
            )
        return context
