"""The documents coaching offers (found by psp/reports/apps.py): a practice's report card and
the program report. They live in coaching/reports/ because they read practices, assessments
(through assessments' selectors) and coaching."""

from coaching.reports.practice_card import PRACTICE_CARD
from coaching.reports.program_report import PROGRAM_REPORT
from psp.reports.registry import register_document

register_document(PRACTICE_CARD)
register_document(PROGRAM_REPORT)
