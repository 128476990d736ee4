"""The "private" storage (settings.STORAGES["private"], PSP_PRIVATE_ROOT): files people may only
get through a view that checks who asks (generated reports, evidence files). It lies outside
static files and MEDIA_ROOT, so no web server hands its files out by URL.

A model's FileField holds a lazy handle rather than the storage itself, so a change of STORAGES
(a test's temporary folder, a deployment's own backend) is seen without a restart of the model
layer, as Django's own default_storage is. `file_response` streams such a file to its reader,
and a system check refuses a private folder placed where a URL could serve it."""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import StreamingHttpResponse
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private = _PrivateStorage()


def private_storage():
    """A FileField's storage (a callable, so migrations name it rather than copy it)."""
    return private


@receiver(setting_changed)
def _forget_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private._wrapped = empty


def _chunks(field):
    # Opened only once the answer is being sent, and closed when it has been (or when the answer
    # is dropped half-way), so an answer that is never read holds no open file.
    with field.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def file_exists(field) -> bool:
    return bool(field) and field.storage.exists(field.name)


def file_response(
    field, *, content_type: str, filename: str, size: int | None
) -> StreamingHttpResponse:
    """A stored file as a download (never shown in the browser's own window): its type as we
    checked it, and `nosniff` so the browser believes that type rather than guessing one."""
    response = StreamingHttpResponse(_chunks(field), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    if size is not None:
        response["Content-Length"] = str(size)
    return response


# A private folder inside a folder a URL serves ---------------------------------------------------


def _served_folders() -> dict[str, Path]:
    folders = {"MEDIA_ROOT": settings.MEDIA_ROOT, "STATIC_ROOT": settings.STATIC_ROOT}
    for index, entry in enumerate(settings.STATICFILES_DIRS):
        folders[f"STATICFILES_DIRS[{index}]"] = entry[1] if isinstance(entry, tuple) else entry
    return {name: Path(path).resolve() for name, path in folders.items() if path}


def _overlaps(one: Path, other: Path) -> bool:
    return one == other or one.is_relative_to(other) or other.is_relative_to(one)


def check_private_root(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The private storage's folder must not be, contain or lie inside MEDIA_ROOT, STATIC_ROOT or
    a static files folder: a proxy (or whitenoise) serving those by URL would serve it too."""
    storage = storages["private"]
    if not isinstance(storage, FileSystemStorage):
        return []  # object storage: privacy is the bucket's policy, not a folder's place
    root = Path(storage.location).resolve()
    return [
        checks.Error(
            f"The private files folder {root} overlaps {name} ({folder}).",
            hint="Set PSP_PRIVATE_ROOT (or MEDIA_ROOT) so that neither contains the other.",
            id="psp.E010",
        )
        for name, folder in _served_folders().items()
        if _overlaps(root, folder)
    ]
