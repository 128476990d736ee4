"""The CPD certificate: one page saying that a person met their cycle's requirements. Who,
under which scheme, the cycle, the credits achieved against those required, the day the
requirements were met, the program that issues it, and the verification code with the public
page that checks it. Asked for only once the requirements are met (the form says what is still
missing otherwise)."""

from django.template.loader import render_to_string

from cpd.credentials.common import describe, issue, verification_context
from cpd.credentials.forms import CertificateForm, cycle_params
from cpd.credentials.models import CredentialKind
from cpd.credentials.transcript import may_ask
from psp.reports.registry import Document, Section
from psp.tenancy.permissions import Capability


def build(program, params: dict, *, progress, report_id=None):
    progress(0, 1)
    cycle, found, credential = issue(
        program=program,
        kind=CredentialKind.CERTIFICATE,
        params=params,
        report_id=report_id,
        require_met=True,
    )
    context = {
        "program": program,
        "cycle": cycle,
        "person": cycle.person,
        "result": found.progress,
        **verification_context(credential),
    }
    yield Section(html=render_to_string("cpd/reports/certificate.html", context))
    progress(1, 1)


CERTIFICATE = Document(
    code="cpd_certificate",
    title="CPD certificate",
    capability=Capability.CPD_RECORD,
    subject="person",
    form=CertificateForm,
    params_from=cycle_params,
    build=build,
    describe=describe,
    stylesheets=("css/cpd-certificate.css",),
    may=may_ask,
    per_report=True,
)
