"""allauth's own forms with our wording: its labels are in Title Case ("New Password"), the app
writes sentence case everywhere. Only the labels change; allauth keeps every rule.

Named in settings.ACCOUNT_FORMS, so allauth builds them where it would build its own."""

from allauth.account import forms as allauth_forms


class SentenceCaseLabels:
    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label
        for field in self.fields.values():
            # allauth repeats each label as a placeholder (in Title Case); the label is shown.
            field.widget.attrs.pop("placeholder", None)


NEW_PASSWORD = {"password1": "New password", "password2": "New password (again)"}


class LoginForm(SentenceCaseLabels, allauth_forms.LoginForm):
    labels = {"remember": "Keep me signed in on this device"}


class ChangePasswordForm(SentenceCaseLabels, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": "Current password", **NEW_PASSWORD}


class SetPasswordForm(SentenceCaseLabels, allauth_forms.SetPasswordForm):
    labels = {"password1": "Password", "password2": "Password (again)"}


class ResetPasswordKeyForm(SentenceCaseLabels, allauth_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD
