"""The filters of the people lists, in the API and on the people page (psp/filters.py holds the
rules)."""

from django.db.models import Q
from django_filters import CharFilter

from psp.accounts.models import Invitation
from psp.filters import ChoiceFilter, ProgramFilterSet, YesNoFilter
from psp.tenancy.models import ProgramMembership, ProgramRole


class MemberFilter(ProgramFilterSet):
    # Declared (not generated from the model) so that schema generation, which runs with no
    # program in scope, never touches the fail-closed manager.
    search = CharFilter(
        method="filter_search", label="Name or email", max_length=100, help_text="Part of it"
    )
    role = ChoiceFilter(choices=ProgramRole.choices, label="Role")
    is_active = YesNoFilter(label="Active")

    class Meta:
        model = ProgramMembership
        fields = ["search", "role", "is_active"]

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(user__full_name__icontains=text) | Q(user__email__icontains=text))


class MemberPageFilter(MemberFilter):
    """The people page's filters: as the API's, with "Status" in words instead of yes/no; no
    status means the active members (the page's usual view)."""

    is_active = role = None
    # Named apart from the role-change selects of the rows, and saying "lead or staff" as the
    # rows do (a practice person's program role is only "Practice member").
    program_role = ChoiceFilter(
        choices=[
            (value, "Practice lead or staff" if value == ProgramRole.PRACTICE else label)
            for value, label in ProgramRole.choices
        ],
        empty_label="Any role",
        label="Role",
        field_name="role",
    )
    status = ChoiceFilter(
        choices=[("deactivated", "Deactivated"), ("all", "Active and deactivated")],
        empty_label="Active",
        label="Status",
        method="filter_status",
    )

    class Meta(MemberFilter.Meta):
        fields = ["search", "program_role", "status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=False) if value == "deactivated" else queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(is_active=True)
        return super().filter_queryset(queryset)


class InvitationFilter(ProgramFilterSet):
    role = ChoiceFilter(choices=ProgramRole.choices, label="Role")
    email = CharFilter(lookup_expr="iexact", label="Email", max_length=254)

    class Meta:
        model = Invitation
        fields = ["role", "email"]
