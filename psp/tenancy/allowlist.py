"""The models that are deliberately not program-owned, and why.

Every model is either a `ProgramOwned` subclass or named here with a reason; the system check
(psp/tenancy/checks.py) and tests/tenancy/test_model_coverage.py fail on any other. Adding a line
here is a design decision: a row without `program_id` is visible to every program's code.
"""

# "app_label.ModelName" -> why it has no program.
NOT_PROGRAM_OWNED: dict[str, str] = {
    # Ours
    "tenancy.Program": "It is the tenant itself.",
    "accounts.User": "A person: one account holds roles in several programs.",
    # Django
    "admin.LogEntry": "Django admin history, written by platform operators across programs.",
    "auth.Permission": "Django's catalogue of model permissions: global, holds no program data.",
    "auth.Group": "Django's permission groups: unused by the platform (roles are per program).",
    "contenttypes.ContentType": "Django's catalogue of installed models: global.",
    "sessions.Session": "A login session belongs to a person, who may work in several programs.",
    # django-allauth
    "account.EmailAddress": "allauth: a person's login address; a person spans programs.",
    "account.EmailConfirmation": "allauth: confirmation of a person's login address.",
    "mfa.Authenticator": "allauth: a person's second factor, used for every program they are in.",
}

# "app_label.ModelName.field" -> why a program-owned model may have a unique field without
# `program`. Such a value is looked up before any program is known (the value itself says which
# program the row belongs to), so it must be unique across the installation.
GLOBALLY_UNIQUE_FIELDS: dict[str, str] = {
    "accounts.ApiToken.lookup": (
        "The public part of a presented key; authentication finds the token (and so its "
        "program) by it before any program is in scope."
    ),
    "accounts.Invitation.token_hash": (
        "Hash of the secret in an invitation link; the link is opened outside any program."
    ),
    "cpd.CpdCredential.code": (
        "The verification code printed on a CPD transcript or certificate; the public check "
        "(/verify/) finds the credential, and so its program, by it."
    ),
}
