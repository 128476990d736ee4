"""The filters of the instruments' lists in the API (psp/filters.py), and the instrument filter
the assessment lists use."""

from django_filters import CharFilter

from assessments.instruments.models import ChangeIdea, Instrument, InstrumentVersion, VersionStatus
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet, YesNoFilter


def instrument_choice(field_name: str = "instrument") -> IdFilter:
    """`?instrument=3`: one of the program's instruments (everyone in it may see them all)."""
    return IdFilter(
        field_name=field_name,
        noun="instrument",
        label="Instrument",
        reach=lambda access: Instrument.objects.order_by("name", "pk"),
        empty_label="All instruments",
    )


class VersionFilter(ProgramFilterSet):
    instrument = instrument_choice()
    status = ChoiceFilter(choices=VersionStatus.choices, label="Status")

    class Meta:
        model = InstrumentVersion
        fields = ["instrument", "status"]


class ChangeIdeaFilter(ProgramFilterSet):
    instrument = instrument_choice()
    domain_key = CharFilter(label="Domain key", max_length=100)
    is_active = YesNoFilter(label="Active")

    class Meta:
        model = ChangeIdea
        fields = ["instrument", "domain_key", "is_active"]
