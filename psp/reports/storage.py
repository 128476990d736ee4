"""Where report files live: the "private" storage (settings.STORAGES), outside static files and
MEDIA_ROOT, so only the download view (which checks the requester) hands them out.

The model's FileField holds a lazy handle rather than the storage itself, so a change of
STORAGES (a test's temporary folder, a deployment's own backend) is seen without a restart of
the model layer, as Django's own default_storage is."""

import secrets

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.text import slugify


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private = _PrivateStorage()


def private_storage():
    """The FileField's storage (a callable, so migrations name it rather than copy it)."""
    return private


@receiver(setting_changed)
def _forget_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private._wrapped = empty


def report_path(report, filename: str) -> str:
    """reports/<program id>/<random>/<name>.pdf: the program's own folder, and a part nobody can
    guess, so no path of one program's report can be made from another's."""
    stem = slugify(filename.rsplit(".", 1)[0])[:80] or "report"
    return f"reports/{report.program_id}/{secrets.token_urlsafe(16)}/{stem}.pdf"
