"""The documents cpd offers (found by psp/reports/apps.py): a cycle's transcript and, once its
requirements are met, its certificate, each carrying a code anyone can check on /verify/."""

from cpd.credentials.certificate import CERTIFICATE
from cpd.credentials.transcript import TRANSCRIPT
from psp.reports.registry import register_document

register_document(TRANSCRIPT)
register_document(CERTIFICATE)
