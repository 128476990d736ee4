"""The filters of the program's CPD completion: the completion page, its CSV and GET
…/cpd-completion/ share CompletionFilter (psp/filters.py holds the rules). The completion is a
report computed for the whole program, so the FilterSet gives the values the selector takes."""

from cpd.progress.standing import Standing
from cpd.schemes.models import CpdCycle, CpdScheme
from practices.filters import practice_choice, practice_name_search
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability


def _pk(obj):
    return obj.pk if obj is not None else None


class CompletionFilter(ProgramFilterSet):
    status = ChoiceFilter(
        choices=Standing.choices,
        label="Status",
        empty_label="Any status",
        description="met, on_pace, behind (under the steady pace to the total, or a year's "
        "minimum missed) or no_cycle (no activity recorded in a cycle running today).",
    )
    # The people whose CPD is filed under this practice (their first one); a search box rather
    # than thousands of options once the program has many practices.
    practice = practice_choice(Capability.CPD_VIEW)
    practice_name = practice_name_search()
    sector = ChoiceFilter(
        choices=Sector.choices,
        label="Sector",
        empty_label="All sectors",
        description="Their practice's sector (the program's for its own staff).",
    )
    scheme = IdFilter(
        noun="scheme",
        label="Scheme",
        reach=lambda access: CpdScheme.objects.filter(is_active=True).order_by("name", "pk"),
        label_from=lambda scheme: scheme.name,
        empty_label="All schemes",
        description="The people this CPD scheme applies to.",
    )

    class Meta:
        model = CpdCycle
        fields = ["status", "practice", "practice_name", "sector", "scheme"]

    def values(self) -> dict:
        data = self.cleaned
        return {
            "status": data.get("status") or None,
            "practice_id": _pk(data.get("practice")),
            "practice_name": data.get("practice_name") or None,
            "sector": data.get("sector") or None,
            "scheme_id": _pk(data.get("scheme")),
        }
