"""The filters of the practices' lists (each shared by its page and its API, psp/filters.py), and
the practice filter every other list uses: `practice_choice()` with `practice_name_search()`,
a <select> of the practices in reach that becomes a search box above PSP_PRACTICE_CHOICE_LIMIT."""

from practices import selectors
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage
from psp.accounts.models import PracticeRole
from psp.filters import ChoiceFilter, IdFilter, ProgramFilterSet, TextSearchFilter
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability
from psp.widgets import SearchChoice

VIEW = Capability.PRACTICE_VIEW
PRACTICE_NAME = "practice_name"


def practices_in_reach(capability: Capability):
    """The reach of a practice filter: the practices `capability` reaches for the caller."""

    def reach(access):
        return (
            Practice.objects.filter(access.practice_filter(capability))
            .only("pk", "name")
            .order_by("name", "pk")
        )

    return reach


def reaches_several_practices(capability: Capability):
    """Whether a page shows a filter that only tells practices apart (the practice, its sector,
    its stage): not to someone `capability` takes to one practice at most (a practice's lead or
    staff, a coach of one practice), for whom it cannot narrow anything. The query's value is
    still taken (psp/filters.py)."""

    def several(access) -> bool:
        reached = access.practice_ids(capability)
        return reached is None or len(reached) > 1

    return several


def practice_choice(capability: Capability, field_name: str = "practice") -> IdFilter:
    """`?practice=12`: a practice `capability` reaches for the caller."""
    return IdFilter(
        field_name=field_name,
        noun="practice",
        label="Practice",
        reach=practices_in_reach(capability),
        label_from=lambda practice: practice.name,
        empty_label="All practices",
        shown_if=reaches_several_practices(capability),
        search=SearchChoice(
            param=PRACTICE_NAME,
            url_name="practices:options",
            capability=capability.value,
            noun="practice",
        ),
    )


def practice_name_search(field_name: str = "practice__name"):
    """`?practice_name=green`: practices whose name contains the text (what a practice's search
    box sends when no practice is chosen from its matches)."""
    return TextSearchFilter(
        fields=(field_name,),
        label="Practice name",
        description="Practices whose name contains each word (what a practice filter's search "
        "box sends when no practice is chosen).",
    )


def coach_choice(field_name: str = "coach", description: str = "") -> IdFilter:
    """`?coach=7`: a person with the coach role in the program."""
    return IdFilter(
        field_name=field_name,
        description=description,
        noun="coach",
        label="Coach",
        reach=lambda access: selectors.program_coaches(),
        empty_label="All coaches",
    )


def sector_choice(capability: Capability = VIEW) -> ChoiceFilter:
    """`?sector=law`: practices of a sector (shown to people who reach several practices)."""
    return ChoiceFilter(
        choices=Sector.choices,
        label="Sector",
        empty_label="All sectors",
        shown_if=reaches_several_practices(capability),
    )


def stage_choice(capability: Capability = VIEW) -> ChoiceFilter:
    """`?stage=active`: practices at a stage (shown to people who reach several practices)."""
    return ChoiceFilter(
        choices=Stage.choices,
        label="Stage",
        empty_label="All stages",
        shown_if=reaches_several_practices(capability),
    )


class PracticeFilter(ProgramFilterSet):
    search = TextSearchFilter(
        fields=("name", "region", "specialty"),
        label="Search",
        placeholder="Name, region or specialty",
        description="Practices whose name, region or specialty contain each word.",
    )
    sector = sector_choice()
    stage = stage_choice()
    coach = coach_choice(
        "coach_assignments__coach", description="The practices this coach is assigned to."
    )
    page_aliases = {"q": "search"}  # the practice list's search box before issue 9

    class Meta:
        model = Practice
        fields = ["search", "sector", "stage", "coach"]


class CoachAssignmentFilter(ProgramFilterSet):
    practice = practice_choice(VIEW)
    coach = coach_choice()

    class Meta:
        model = CoachAssignment
        fields = ["practice", "coach"]


class PracticeMembershipFilter(ProgramFilterSet):
    practice = practice_choice(VIEW)
    role = ChoiceFilter(choices=PracticeRole.choices, label="Role")

    class Meta:
        model = PracticeMembership
        fields = ["practice", "role"]
