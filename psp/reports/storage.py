"""Where report files live: the core's "private" storage (psp/storage.py), outside static files
and MEDIA_ROOT, so only the download view (which checks the requester) hands them out."""

import secrets

from django.utils.text import slugify

from psp.storage import private, private_storage

__all__ = ["private", "private_storage", "report_path"]


def report_path(report, filename: str) -> str:
    """reports/<program id>/<random>/<name>.pdf: the program's own folder, and a part nobody can
    guess, so no path of one program's report can be made from another's."""
    stem = slugify(filename.rsplit(".", 1)[0])[:80] or "report"
    return f"reports/{report.program_id}/{secrets.token_urlsafe(16)}/{stem}.pdf"
