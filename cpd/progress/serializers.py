"""What GET …/cpd-progress/ and GET …/cpd-completion/ answer: a person's progress in one cycle
(cpd/progress/person.py) and the program's stored completion rows (cpd/progress/completion.py).
Credits are decimal strings, as everywhere in the API."""

from rest_framework import serializers

from cpd.progress.standing import Standing
from cpd.schemes.models import CycleStatus
from psp.api.serializers import PersonSerializer
from psp.tenancy.models import Sector


def amounts(**kwargs):
    return serializers.DecimalField(max_digits=10, decimal_places=2, **kwargs)


class SchemeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class CycleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    scheme = SchemeRefSerializer()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="The cycle's last day.")
    status = serializers.ChoiceField(
        choices=CycleStatus.choices,
        help_text="As stored: met once every requirement is met, open again if that is undone; "
        "an ended cycle keeps its status.",
    )


class CategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True, help_text="A sub-category's parent key.")
    credits = amounts(help_text="Its own and its sub-categories' credits.")
    minimum = amounts()
    per_year_minimum = amounts(allow_null=True)


class YearSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1 for the cycle's first year.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    credits = amounts()
    by_category = serializers.DictField(
        child=amounts(), help_text="Category key -> credits that year, sub-categories rolled up."
    )


class RequirementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["total", "per_year", "category", "category_per_year"])
    label = serializers.CharField(help_text="What is required: 'Total', 'Certified in year 2'.")
    category = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    required = amounts()
    have = amounts()
    missing = amounts()
    starts_on = serializers.DateField(help_text="When the period it is counted over begins.")
    due_on = serializers.DateField(help_text="The day by which it must be met.")


class CappedSerializer(serializers.Serializer):
    activity_type = serializers.CharField()
    credits = amounts(help_text="What the type's cap per cycle kept from counting.")


class PacePointSerializer(serializers.Serializer):
    on = serializers.DateField()
    credits = amounts(allow_null=True, help_text="Credits so far (with carried-in); null later.")
    required = amounts(help_text="Where steady progress to the total would be by then.")


class ProgressFiguresSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=["credits", "hours"])
    required_total = amounts()
    carried_in = amounts(help_text="From the previous cycle; counts towards the total only.")
    earned = amounts(help_text="In this cycle, caps applied: self-reported, submitted, verified.")
    total = amounts(help_text="earned + carried_in.")
    verified = amounts(help_text="Of earned, the credits of verified activities alone.")
    expected_by_today = amounts(help_text="Where steady progress to the total would be today.")
    met_on = serializers.DateField(allow_null=True, help_text="When every requirement was met.")
    categories = CategorySerializer(many=True)
    years = YearSerializer(many=True)
    requirements = RequirementSerializer(many=True)
    shortfalls = RequirementSerializer(
        many=True, help_text="Unmet requirements of periods already begun, soonest due first."
    )
    capped = CappedSerializer(many=True)
    pace = PacePointSerializer(many=True, help_text="Monthly, from the cycle's start to its end.")


class CpdProgressSerializer(serializers.Serializer):
    person = PersonSerializer()
    scheme = SchemeRefSerializer(allow_null=True, help_text="The scheme they are under today.")
    standing = serializers.ChoiceField(choices=Standing.choices)
    cycle = CycleSerializer(allow_null=True, help_text="The cycle shown; null: none yet.")
    is_current = serializers.BooleanField(help_text="Whether the cycle shown is running today.")
    cycles = CycleSerializer(many=True, help_text="All of the person's cycles, newest first.")
    progress = ProgressFiguresSerializer(allow_null=True)


class PracticeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ShortfallRefSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    missing = amounts()
    due_on = serializers.DateField()


class CompletionRowSerializer(serializers.Serializer):
    person = PersonSerializer()
    practice = PracticeRefSerializer(
        allow_null=True, help_text="Where their CPD is filed; null for the program's own staff."
    )
    sector = serializers.ChoiceField(choices=Sector.choices)
    scheme = SchemeRefSerializer()
    standing = serializers.ChoiceField(choices=Standing.choices)
    cycle = CycleSerializer(allow_null=True)
    unit = serializers.CharField(allow_blank=True)
    credits = amounts(allow_null=True, help_text="With carried-in; null without a cycle.")
    required = amounts(allow_null=True)
    met_on = serializers.DateField(allow_null=True)
    biggest_shortfall = ShortfallRefSerializer(allow_null=True)


def progress_body(shown) -> dict:
    """A PersonProgress as CpdProgressSerializer reads it."""
    result = shown.result
    figures = None
    if result is not None:
        figures = {
            "unit": result.unit,
            "required_total": result.required_total,
            "carried_in": result.carried_in,
            "earned": result.earned,
            "total": result.total,
            "verified": shown.verified,
            "expected_by_today": shown.expected,
            "met_on": result.met_on,
            "categories": result.categories,
            "years": result.years,
            "requirements": result.requirements,
            "shortfalls": result.shortfalls,
            "capped": [
                {"activity_type": key, "credits": value}
                for key, value in sorted(result.capped.items())
            ],
            "pace": result.pace,
        }
    return {
        "person": shown.person,
        "scheme": shown.scheme,
        "standing": shown.standing,
        "cycle": shown.cycle,
        "is_current": shown.is_current,
        "cycles": shown.cycles,
        "progress": figures,
    }


def completion_body(row) -> dict:
    short = row.biggest_shortfall
    return {
        "person": row.person,
        "practice": {"id": row.practice_id, "name": row.practice_name} if row.practice_id else None,
        "sector": row.sector,
        "scheme": row.scheme,
        "standing": row.standing,
        "cycle": row.cycle,
        "unit": row.unit,
        "credits": row.credits,
        "required": row.required,
        "met_on": row.met_on,
        "biggest_shortfall": short,
    }
