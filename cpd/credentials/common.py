"""What the transcript and the certificate share: describing the cycle, reading it in the
worker, issuing the credential the document prints, and the public link that checks it."""

from django.conf import settings
from django.urls import reverse

from cpd.credentials import selectors, services
from cpd.schemes.models import CpdCycle
from psp.dates import write_date


def describe(program, params: dict) -> str:
    """ "Mei Lin · Family medicine · 1 Jul 2021 – 30 Jun 2026" (a list's line, the page foot)."""
    cycle = (
        CpdCycle.objects.select_related("person", "scheme").filter(pk=params.get("cycle")).first()
    )
    if cycle is None:
        return "A CPD cycle no longer in the program"
    person = cycle.person.full_name or cycle.person.email
    dates = f"{write_date(cycle.starts_on)} – {write_date(cycle.ends_on)}"
    return f"{person} · {cycle.scheme.name} · {dates}"


def verify_url(code: str) -> str:
    """The public page that checks `code`, as printed (absolute: the paper leaves the site)."""
    path = reverse("verify:code", kwargs={"code": code})
    return settings.PSP_SITE_URL.rstrip("/") + path


def verify_page_url() -> str:
    return settings.PSP_SITE_URL.rstrip("/") + reverse("verify:check")


class RequirementsNoLongerMet(Exception):
    """A certificate asked for while the cycle's requirements were met, made after they stopped
    being (an activity rejected meanwhile): the report fails with this reason."""


def issue(*, program, kind: str, params: dict, report_id, require_met: bool = False):
    """The cycle, what it stands at today, and the credential of this report."""
    cycle = selectors.document_cycle(params["cycle"])
    found = selectors.standing(cycle, today=program.local_today())
    if require_met and not found.progress.is_met:
        raise RequirementsNoLongerMet(
            "The cycle's requirements are no longer met (an activity was rejected or removed "
            "since the certificate was asked for), so no certificate was made."
        )
    credential = services.credential_issue(
        program=program, kind=kind, cycle=cycle, standing=found, report_id=report_id
    )
    return cycle, found, credential


def verification_context(credential) -> dict:
    return {
        "credential": credential,
        "verify_url": verify_url(credential.display_code),
        "verify_page": verify_page_url(),
    }
