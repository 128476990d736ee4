"""The documents compliance offers (found by psp/reports/apps.py): a practice's compliance
report and the program's compliance status (compliance/reports/)."""

from compliance.reports.practice_report import COMPLIANCE_REPORT
from compliance.reports.program_status import COMPLIANCE_STATUS
from psp.reports.registry import register_document

register_document(COMPLIANCE_REPORT)
register_document(COMPLIANCE_STATUS)
