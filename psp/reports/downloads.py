"""A report's PDF as an answer, for the page and the API alike.

The file is opened only once the answer is being sent, and closed when it has been (or when the
answer is dropped half-way), so an answer that is never read holds no open file."""

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024


def _chunks(field):
    with field.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def file_exists(report) -> bool:
    return bool(report.file) and report.file.storage.exists(report.file.name)


def pdf_response(report) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_chunks(report.file), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report.download_name()
    )
    if report.file_size is not None:
        response["Content-Length"] = str(report.file_size)
    return response
