"""The public check of a CPD transcript's or certificate's code: /verify/ (a form) and
/verify/<code>/ (the link printed on the paper). No sign-in, outside any program.

It answers only what the paper itself says at a glance: the person's name, the scheme's name,
the cycle's dates, which document, the standing it attested, when it was issued, and whether it
was revoked. Nothing else of the person or the program (no email, no credits, no activities),
and one neutral answer for every code that is not an issued one. Each lookup counts against
the client's address (LOOKUPS); past it the page answers 429 until the window ends.
"""

from django import forms
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cpd.credentials.selectors import credential_by_code
from psp.ratelimit import Limit, retry_after

LOOKUPS = Limit(scope="cpd-verify", count=20, seconds=600)
TEMPLATE = "cpd/verify.html"


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=40,
        help_text="As printed on the transcript or certificate, e.g. K7QM-3XHD-9TPA. "
        "Capitals or not, with or without the dashes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


def _answer(request, typed: str):
    wait = retry_after(request, LOOKUPS)
    if wait is not None:
        response = render(
            request, "cpd/verify_limited.html", {"minutes": -(-wait // 60)}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    credential = credential_by_code(typed)
    context = {"form": VerifyForm({"code": typed}), "checked": True, "credential": credential}
    if credential is not None:
        context["shown"] = _shown(credential)
    return _page(request, context, status=200 if credential is not None else 404)


def _shown(credential) -> dict:
    """Everything the answer shows: nothing more is passed to the template."""
    cycle = credential.cycle
    return {
        "person": credential.person.full_name or "Name not recorded",
        "scheme": cycle.scheme.name,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "kind": credential.get_kind_display(),
        "status": credential.get_status_display(),
        "met_on": credential.met_on,
        "issued_at": credential.issued_at,
        "revoked_at": credential.revoked_at,
        "code": credential.display_code,
    }


def _page(request, context: dict, status: int = 200):
    response = render(request, TEMPLATE, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def verify(request):
    """The form; with ?code=… the answer under it."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return _page(request, {"form": VerifyForm(), "checked": False})
    return _answer(request, typed[:40])


@never_cache
def verify_code(request, code: str):
    """The link printed on a transcript or certificate."""
    return _answer(request, code[:40])
