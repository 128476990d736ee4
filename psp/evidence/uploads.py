"""The checks every evidence file passes before anything is stored, shared by the form field, the
service and the API so that each says the same: its type, read from its first bytes (never the
browser's content type or the file's extension), its size, and a name safe to keep and send back.

No database and no storage here: a file is read once, for its first bytes, its size and its
SHA-256, and handed back as a `CheckedUpload`.
"""

import hashlib
import tempfile
import unicodedata
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File

# type -> (extension a download gets, name in messages)
TYPES = {
    "application/pdf": (".pdf", "PDF"),
    "image/png": (".png", "PNG"),
    "image/jpeg": (".jpg", "JPEG"),
    "image/webp": (".webp", "WebP"),
}
# Extensions a file of each type may keep as it is (others are replaced by the type's own).
KEEP_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
}
# For <input accept>: the types, and the extensions for pickers that go by name.
ACCEPT = ",".join([*TYPES, ".pdf", ".png", ".jpg", ".jpeg", ".webp"])
TYPE_NAMES = "PDF, PNG, JPEG or WebP"

HEAD_BYTES = 16
# A kept copy stays in memory up to this size, in a temporary file (deleted when closed) above.
SPOOL_BYTES = 1024 * 1024
NAME_LIMIT = 120  # characters kept of a name, its extension included
# Characters no file name of ours keeps: path separators and what Windows refuses.
_UNSAFE = set('/\\:*?"<>|')


def sniff(head: bytes) -> str | None:
    """The type a file's first bytes say it is, among those taken; None for anything else."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def clean_name(raw) -> str:
    """A name as people gave it, made safe to store and to send back in a header: the last part
    of any path, no control characters or separators, spaces collapsed, at most NAME_LIMIT
    characters (keeping the extension)."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        "_" if char in _UNSAFE else char
        for char in name
        if not unicodedata.category(char).startswith("C")
    )
    name = " ".join(name.split()).strip(". ")
    if len(name) > NAME_LIMIT:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: NAME_LIMIT - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:NAME_LIMIT]
    return name or "evidence"


def stored_name(name: str, content_type: str) -> str:
    """The name a file is kept and downloaded under: its own, with the extension its type has
    (a photo sent as "IMG_0042" or "scan.pdf" comes back as "IMG_0042.jpg", "scan.jpg")."""
    stem, dot, extension = name.rpartition(".")
    if dot and f".{extension.lower()}" in KEEP_EXTENSIONS[content_type]:
        return name
    base = stem if dot and stem and len(extension) <= 5 else name
    return base[: NAME_LIMIT - 5] + TYPES[content_type][0]


def megabytes(size: int) -> str:
    """14889779 -> "14.2 MB", 10485760 -> "10 MB"."""
    text = f"{size / 1024 / 1024:.1f}".removesuffix(".0")
    return f"{text} MB"


def size_text(size: int) -> str:
    """A file's size as a list shows it: "240 KB", "1.3 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return megabytes(size)


def max_bytes() -> int:
    return settings.PSP_EVIDENCE_MAX_BYTES


@dataclass(frozen=True)
class CheckedUpload:
    # What is stored: the upload itself, or with `keep` a copy of the bytes that were checked,
    # which outlives the upload (a request's uploads are closed when it ends; the bytes are
    # written after the transaction commits, which in a larger transaction may come later).
    file: File
    given_name: str  # as the person named it (made safe): what messages call it
    name: str  # as it is kept and downloaded, with its type's extension
    content_type: str
    size: int
    sha256: str


class UploadRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_upload(upload, *, limit: int | None = None, keep: bool = False) -> CheckedUpload:
    """The upload, read and checked (and with `keep`, copied); UploadRefused with a message
    naming it otherwise."""
    limit = max_bytes() if limit is None else limit
    upload = upload if isinstance(upload, File) else File(upload)
    given = clean_name(getattr(upload, "name", ""))
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise UploadRefused(f"{given} is {megabytes(declared)}; the limit is {megabytes(limit)}.")
    digest, head, size = hashlib.sha256(), b"", 0
    # Closed by its finalizer (_kept), whatever becomes of it: no `with` block can span it.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) if keep else None  # noqa: SIM115
    copy = _kept(spool, given) if spool is not None else None
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise UploadRefused(f"{given} is over {megabytes(limit)}, the limit.")
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        if copy is not None:
            copy.write(chunk)
    if size == 0:
        raise UploadRefused(f"{given} is empty.")
    content_type = sniff(head)
    if content_type is None:
        raise UploadRefused(f"{given} is not a PDF or image: send a {TYPE_NAMES} file.")
    return CheckedUpload(
        file=upload if copy is None else copy,
        given_name=given,
        name=stored_name(given, content_type),
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def _kept(copy, name: str) -> File:
    """A copy as a File, closed (and its temporary file gone) once nothing holds it: when the
    upload is refused, after it was stored, or when the transaction that would have stored it
    was rolled back."""
    kept = File(copy, name=name)
    weakref.finalize(kept, copy.close)
    return kept


def check_uploads(uploads, *, keep: bool = False) -> tuple[list[CheckedUpload], list[str]]:
    """Every upload checked: those that passed, and a message for each that did not."""
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, keep=keep))
        except UploadRefused as refusal:
            problems.append(refusal.message)
    return checked, problems
