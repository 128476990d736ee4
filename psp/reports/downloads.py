"""A report's PDF as an answer, for the page and the API alike (streamed by psp/storage.py)."""

from psp import storage
from psp.storage import file_response


def file_exists(report) -> bool:
    return storage.file_exists(report.file)


def pdf_response(report):
    return file_response(
        report.file,
        content_type="application/pdf",
        filename=report.download_name(),
        size=report.file_size,
    )
