"""Forms for inviting people, accepting an invitation, program roles and API tokens.

They check the shape of the input; the rules (who may invite whom, who is already in) live in
services.py, whose ValidationErrors the views put back beside the fields."""

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

from psp.accounts.models import PracticeRole
from psp.accounts.services import PROGRAM_ROLES
from psp.tenancy.models import ProgramRole
from psp.tenancy.permissions import Capability

PRACTICE_CHOICE_LABEL = "Practice lead or staff"


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(label="Role")
    practice = forms.ModelChoiceField(
        label="Practice", queryset=None, required=False, empty_label="Choose a practice"
    )
    practice_role = forms.ChoiceField(
        label="Role in the practice",
        choices=[("", "Choose lead or staff"), *PracticeRole.choices],
        required=False,
    )
    message = forms.CharField(
        label="Personal message",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Included in the invitation email.",
    )

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        practice_model = apps.get_model("practices", "Practice")
        self.fields["practice"].queryset = practice_model.objects.filter(
            access.practice_filter(Capability.PRACTICE_INVITE_STAFF)
        ).order_by("name")
        if access.can(Capability.PEOPLE_MANAGE):
            choices = [(role.value, role.label) for role in PROGRAM_ROLES]
            self.fields["role"].choices = [
                ("", "Choose a role"),
                *choices,
                (ProgramRole.PRACTICE.value, PRACTICE_CHOICE_LABEL),
            ]
        else:
            # A practice lead invites into their own practice only: no program roles to pick.
            self.fields["role"].choices = [(ProgramRole.PRACTICE.value, PRACTICE_CHOICE_LABEL)]
            self.fields["role"].initial = ProgramRole.PRACTICE
            self.fields["role"].widget = forms.HiddenInput()
        self.practice_only = not access.can(Capability.PEOPLE_MANAGE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == ProgramRole.PRACTICE:
            if not cleaned.get("practice") and "practice" not in self.errors:
                self.add_error("practice", "Choose the practice to invite this person into.")
            if not cleaned.get("practice_role"):
                self.add_error("practice_role", "Choose lead or staff.")
        else:
            cleaned["practice"], cleaned["practice_role"] = None, ""
        return cleaned


class AcceptInvitationForm(forms.Form):
    """A newcomer's name and password; the email address is the invitation's."""

    full_name = forms.CharField(label="Your full name", max_length=150)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password (again)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise ValidationError("The two passwords differ.")
        return password2

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password1")
        if password and "password2" not in self.errors:
            # Judged against the person it will belong to (e.g. too close to their name).
            person = get_user_model()(
                email=self.email, full_name=self.cleaned_data.get("full_name")
            )
            try:
                password_validation.validate_password(password, person)
            except ValidationError as error:
                self.add_error("password1", error)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Program role", choices=[(r.value, r.label) for r in PROGRAM_ROLES]
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use it, e.g. “EHR nightly export”.",
    )
