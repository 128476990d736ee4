"""The evidence field any form can hold (an app's own form, e.g. recording a CPD activity with
its certificate, or this app's upload form), and that upload form.

The input takes several files at once and offers what phones offer for a file input: the camera,
the photo library and files. It has no `capture` attribute, which would send a phone straight to
the camera with no way to pick a PDF. Its `accept` list is a convenience for pickers only: every
file is checked by its first bytes (uploads.py), whatever it is called or claims to be.
"""

from django import forms
from django.core.exceptions import ValidationError

from psp.evidence.uploads import ACCEPT, TYPE_NAMES, check_uploads, max_bytes, megabytes


class EvidenceFilesInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": ACCEPT, **(attrs or {})})


def evidence_help_text(max_files: int | None = None) -> str:
    """ "PDF, PNG, JPEG or WebP, up to 10 MB each; at most 3 more files." (read when the form
    is made, so a changed setting shows)."""
    text = f"{TYPE_NAMES}, up to {megabytes(max_bytes())} each"
    if max_files is not None:
        text += f"; at most {max_files} more file{'s' if max_files != 1 else ''}"
    return text + ". On a phone you can take a photo."


class EvidenceFilesField(forms.FileField):
    """One or more evidence files (at most `max_files`, when given); cleans to a list of the
    uploads, each checked (type by its first bytes, size), every refused file named. The
    service checks them again when it attaches them (with the subject's file limit and
    duplicates), so a form may show problems beside the field before anything is saved."""

    widget = EvidenceFilesInput

    def __init__(self, *, max_files: int | None = None, **kwargs):
        kwargs.setdefault("label", "Evidence files")
        kwargs.setdefault("help_text", evidence_help_text(max_files))
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        if not uploads:
            if self.required:
                raise ValidationError("Choose a file to upload.", code="required")
            return []
        _, problems = check_uploads(uploads)
        if self.max_files is not None and len(uploads) > self.max_files:
            problems.append(f"Choose at most {self.max_files} files.")
        if problems:
            raise ValidationError(problems)
        return uploads

    def bound_data(self, data, initial):
        return data

    def has_changed(self, initial, data):
        return bool(data)


class EvidenceUploadForm(forms.Form):
    """Files for one subject, and what they are (the labels its kind offers); `room`: how many
    more files the subject takes."""

    files = EvidenceFilesField()
    label = forms.ChoiceField(label="What are they?")

    def __init__(self, *args, kind, room: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["files"] = EvidenceFilesField(max_files=room)
        self.fields["label"].choices = [(label, label) for label in kind.labels]
        self.fields["label"].initial = kind.labels[0]
