"""A subject's evidence on a page: what `templates/evidence/_panel.html` (the list and the upload
form together), `_list.html` and `_upload.html` are given.

A page about a subject builds it in its view and includes the partials:

    context["evidence"] = evidence_panel(
        access=self.access, subject_type="cpd_activity", subject_id=activity.pk,
        next_url=request.get_full_path(),
    )
    {% if evidence %}{% include "evidence/_panel.html" %}{% endif %}

It asks the subject's kind once for the person's rights and reads the files in one query, so a
page with the panel costs the same however many files there are. None when the person may not
read the subject's files (the page shows nothing of them).
"""

from dataclasses import dataclass

from psp.evidence import registry, selectors
from psp.evidence.forms import EvidenceUploadForm
from psp.evidence.models import EvidenceFile
from psp.evidence.registry import EvidenceRights, SubjectKind


@dataclass
class EvidencePanel:
    kind: SubjectKind
    subject_id: int
    rights: EvidenceRights
    files: list[EvidenceFile]
    # The upload form (None when the person may not attach files); bound with its errors after
    # a refused upload.
    form: EvidenceUploadForm | None
    # Where the upload and remove forms come back to without JavaScript (the page's own path).
    next_url: str
    # Said once after an upload or removal, in the panel's live region.
    notice: str = ""

    @property
    def subject_type(self) -> str:
        return self.kind.code

    @property
    def element_id(self) -> str:
        """The panel's id on the page, unique per subject (a checklist shows many)."""
        return f"evidence-{self.kind.code}-{self.subject_id}"

    @property
    def room(self) -> int:
        return max(0, self.kind.max_files - len(self.files))


def upload_form(
    kind: SubjectKind, subject_id: int, *, attached: int, data=None, files=None
) -> EvidenceUploadForm:
    """The upload form of one subject that has `attached` files."""
    return EvidenceUploadForm(
        data,
        files,
        kind=kind,
        room=max(0, kind.max_files - attached),
        auto_id=f"evidence-{kind.code}-{subject_id}-%s",
    )


def evidence_panel(
    *, access, subject_type: str, subject_id: int, next_url: str, form=None, notice: str = ""
) -> EvidencePanel | None:
    try:
        kind = registry.subject_kind(subject_type)
    except KeyError:
        return None
    rights = kind.rights(access, subject_id)
    if not rights.read:
        return None
    files = list(selectors.files_of(subject_type=subject_type, subject_id=subject_id))
    if form is None and rights.attach:
        form = upload_form(kind, subject_id, attached=len(files))
    return EvidencePanel(
        kind=kind,
        subject_id=subject_id,
        rights=rights,
        files=files,
        form=form if rights.attach else None,
        next_url=next_url,
        notice=notice,
    )
