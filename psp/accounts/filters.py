"""The filters of the people lists in the API (psp/filters.py holds the rules)."""

from django_filters import CharFilter

from psp.accounts.models import Invitation
from psp.filters import ChoiceFilter, ProgramFilterSet, YesNoFilter
from psp.tenancy.models import ProgramMembership, ProgramRole


class MemberFilter(ProgramFilterSet):
    # Declared (not generated from the model) so that schema generation, which runs with no
    # program in scope, never touches the fail-closed manager.
    role = ChoiceFilter(choices=ProgramRole.choices, label="Role")
    is_active = YesNoFilter(label="Active")

    class Meta:
        model = ProgramMembership
        fields = ["role", "is_active"]


class InvitationFilter(ProgramFilterSet):
    role = ChoiceFilter(choices=ProgramRole.choices, label="Role")
    email = CharFilter(lookup_expr="iexact", label="Email", max_length=254)

    class Meta:
        model = Invitation
        fields = ["role", "email"]
