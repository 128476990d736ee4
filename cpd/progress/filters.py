"""The filters of the program's CPD completion: the completion page, its CSV and GET
…/cpd-completion/ share CompletionFilter (psp/filters.py holds the rules). The completion is a
report computed for the whole program, so the FilterSet gives the values the selector takes."""

from cpd.progress.standing import Standing
from cpd.schemes.models import CpdCycle, CpdScheme
from practices.models import Practice
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet
from psp.tenancy.models import Sector


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
    practice = IdFilter(
        noun="practice",
        label="Practice",
        reach=lambda access: Practice.objects.only("pk", "name").order_by("name", "pk"),
        label_from=lambda practice: practice.name,
        empty_label="All practices",
        description="The people whose CPD is filed under this practice (their first one).",
    )
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
        fields = ["status", "practice", "sector", "scheme"]

    def values(self) -> dict:
        data = self.cleaned
        return {
            "status": data.get("status") or None,
            "practice_id": _pk(data.get("practice")),
            "sector": data.get("sector") or None,
            "scheme_id": _pk(data.get("scheme")),
        }
