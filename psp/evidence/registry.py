"""What apps tell the evidence app: the kinds of subject that take evidence files, and who may do
what with a subject's files.

An app registers a `SubjectKind` in its `evidence.py` (found at start-up by
`autodiscover_modules("evidence")` in apps.py, as reminders.py and documents.py are), never by
editing this app:

    register_subject(SubjectKind(
        code="cpd_activity", label="CPD activity",
        history_subject=SubjectType.CPD_ACTIVITY, rights=activity_evidence_rights,
    ))

`rights(access, subject_id)` answers for one person (their ProgramAccess, inside the program's
scope) and one subject, in a fixed number of queries: may they read its files, attach files to
it, remove its files, and which practice it belongs to. A subject that does not exist, or that
the person may not see, answers NO_RIGHTS: every page and endpoint then says 404, the same as
for another program's file. The evidence app does the rest, the same for every kind: the checks
on each file, private storage, the history lines, the download, the list and upload partials,
and the API pieces.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EvidenceRights:
    read: bool = False  # see the list and download the files
    attach: bool = False  # add files
    remove: bool = False  # remove files (they leave the list; their history stays)
    # The subject's practice: files and their history lines carry it (0 for none, e.g. the CPD
    # of someone who belongs to no practice).
    practice_id: int = 0


NO_RIGHTS = EvidenceRights()

DEFAULT_LABELS = ("Certificate", "Attendance record", "Other")
DEFAULT_MAX_FILES = 10


@dataclass(frozen=True)
class SubjectKind:
    code: str  # stored on each file, e.g. "cpd_activity"
    label: str  # how messages name one subject: "CPD activity", "checklist item"
    # The history subject (psp.history.models.SubjectType) the lines about its files are filed
    # under, with the subject's id: an activity's history shows its evidence coming and going.
    history_subject: str
    # rights(access, subject_id) -> EvidenceRights
    rights: Callable[..., EvidenceRights]
    # What a file can be, for the person to choose on upload; the first is the default.
    labels: tuple[str, ...] = field(default=DEFAULT_LABELS)
    # At most this many files on one subject at a time.
    max_files: int = DEFAULT_MAX_FILES
    # on_attached(program=, by=, subject_id=, rows=): what the subject's app does when files
    # arrive, in the same transaction, whichever page or endpoint attached them (a CPD activity
    # clears a verifier's request for evidence).
    on_attached: Callable[..., None] | None = None
    # on_removed(program=, by=, subject_id=, row=): the same when a file is taken off (a
    # checklist item that needs evidence is no longer complete).
    on_removed: Callable[..., None] | None = None
    # history_id(subject_id) -> the id of the history subject the lines are filed under, when
    # it is not the subject itself (a checklist item's files are lines of its checklist).
    history_id: Callable[[int], int] | None = None


_kinds: dict[str, SubjectKind] = {}


def register_subject(kind: SubjectKind) -> SubjectKind:
    if kind.code in _kinds and _kinds[kind.code] != kind:
        raise ValueError(f"Evidence subject kind {kind.code!r} is registered twice.")
    if not kind.labels or kind.max_files < 1:
        raise ValueError(f"Evidence subject kind {kind.code!r} needs labels and max_files >= 1.")
    _kinds[kind.code] = kind
    return kind


def subject_kind(code: str) -> SubjectKind:
    """The registered kind with this code (KeyError if none)."""
    return _kinds[code]


def subject_kinds() -> list[SubjectKind]:
    return list(_kinds.values())


def rights_for(access, subject_type: str, subject_id: int) -> EvidenceRights:
    """What `access` may do with the files of one subject; NO_RIGHTS for a kind nobody
    registered (a file whose app is gone is nobody's to read)."""
    kind = _kinds.get(subject_type)
    if kind is None or access is None:
        return NO_RIGHTS
    return kind.rights(access, subject_id)
