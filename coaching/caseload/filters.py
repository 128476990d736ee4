"""The filters of the caseload and the dose of support: the caseload pages and GET …/caseload/
share CaseloadFilter, the dose page (and its CSV) and GET …/dose/ share DoseFilter. Both are
reports, not lists of rows: their FilterSets give the values the selectors take (`values()`),
with the rules of every filter (psp/filters.py)."""

from datetime import date

from coaching.caseload import selectors
from coaching.caseload.dose import GROUPINGS, last_twelve_months, period_errors
from coaching.caseload.rules import CaseloadStatus
from coaching.visits.models import Visit
from practices.filters import practice_choice, practice_name_search
from practices.models import Practice, Stage
from psp.filters import ChoiceFilter, DateFilter, IdFilter, ProgramFilterSet
from psp.forms_fields import person_label
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability


def coach_choice(description: str) -> IdFilter:
    return IdFilter(
        noun="coach",
        description=description,
        label="Coach",
        reach=lambda access: selectors.caseload_coach_choices(),
        label_from=person_label,
        empty_label="All coaches",
    )


def _pk(obj):
    return obj.pk if obj is not None else None


class CaseloadFilter(ProgramFilterSet):
    status = ChoiceFilter(choices=CaseloadStatus.choices, label="Status", empty_label="Any status")
    coach = coach_choice("Only the practices this coach is assigned to.")
    stage = ChoiceFilter(choices=Stage.choices, label="Stage", empty_label="All stages")
    sector = ChoiceFilter(choices=Sector.choices, label="Sector", empty_label="All sectors")

    class Meta:
        model = Practice
        fields = ["status", "coach", "stage", "sector"]

    def values(self) -> dict:
        data = self.cleaned
        return {
            "status": data.get("status") or None,
            "coach_id": _pk(data.get("coach")),
            "stage": data.get("stage") or None,
            "sector": data.get("sector") or None,
        }


class DoseFilter(ProgramFilterSet):
    group_by = ChoiceFilter(
        choices=list(GROUPINGS.items()),
        label="Group by",
        empty_label=None,
        description="How the visits are grouped (default: month).",
    )
    date_from = DateFilter(
        label="From",
        description="The period's first day (default: the first day of the month eleven "
        "months ago).",
    )
    date_to = DateFilter(
        label="To", help_text="Default: today.", description="Its last day (default: today)."
    )
    coach = coach_choice("The visits this coach made.")
    practice = practice_choice(Capability.VISIT_VIEW)
    practice_name = practice_name_search()
    sector = ChoiceFilter(choices=Sector.choices, label="Sector", empty_label="All sectors")

    class Meta:
        model = Visit
        fields = [
            "group_by",
            "date_from",
            "date_to",
            "coach",
            "practice",
            "practice_name",
            "sector",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.page:  # the default as a date, for people
            first, _ = last_twelve_months()
            self.form.fields["date_from"].help_text = f"Default: {first.day} {first:%b %Y}."

    @staticmethod
    def period(data: dict, today: date | None = None) -> tuple[date, date]:
        """The period asked for, the last twelve months by default; a start alone after
        today's date is a period of that day."""
        first, last = last_twelve_months(today)
        date_from = data.get("date_from") or first
        date_to = data.get("date_to") or max(last, date_from)
        return date_from, date_to

    def clean_filters(self, form) -> None:
        if {"date_from", "date_to"} & set(form.errors):
            return
        for name, message in period_errors(*self.period(form.cleaned_data)).items():
            form.add_error(name, message)

    def values(self) -> dict:
        data = self.cleaned
        date_from, date_to = self.period(data)
        return {
            "group_by": data.get("group_by") or "month",
            "date_from": date_from,
            "date_to": date_to,
            "coach_id": _pk(data.get("coach")),
            "practice_id": _pk(data.get("practice")),
            "practice_name": data.get("practice_name") or None,
            "sector": data.get("sector") or None,
        }
