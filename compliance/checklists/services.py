"""Writing checklist templates (program admins, pages and API alike): creating one from a
document (a pack's, or one written by hand), its details and schedule, the lifecycle of its
versions (publish a draft, start a new draft from the published one, discard a draft) (loading the
shipped packs is packs/services.py). Changes to a draft's sections and items are in drafting.py.

Versioning rule, as for instruments: only a draft changes. Publishing makes the draft the
version new instances are made from; instances already made keep the version they were made
from, so an answered checklist never changes under the people who answered it.

Every write checks its input whole, naming each fault by field (a document's by its path,
"sections[1].items[3].attester"), saves in one transaction, and files a history line under the
template (SubjectType.CHECKLIST_TEMPLATE, practice 0: a template is the program's).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from compliance.checklists.document import DocumentInvalid, TemplateDoc
from compliance.checklists.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    VersionStatus,
)
from psp.history.models import SubjectType
from psp.history.services import changes_phrase, record_change
from psp.tenancy.base import ensure_in_program

PROGRAM_LINE = 0  # the practice id of a line about the program's own setup
# What the settings form and the API may change; the key stays as it was made.
DETAIL_FIELDS = (
    "name",
    "description",
    "sector",
    "recurrence",
    "anchor_month",
    "due_days",
    "event",
    "event_stage",
    "is_active",
)


def line(program, template_id: int, by, what: str, summary: str, changes=None) -> None:
    record_change(
        program=program,
        practice=PROGRAM_LINE,
        subject_type=SubjectType.CHECKLIST_TEMPLATE,
        subject_id=template_id,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


def parse_document(data, *, require_items: bool = False) -> TemplateDoc:
    """The document, or a ValidationError naming each problem by its path."""
    try:
        return TemplateDoc.parse(data, require_items=require_items)
    except DocumentInvalid as error:
        found: dict[str, list[str]] = {}
        for path, message in error.problems:
            found.setdefault(path or "document", []).append(message)
        raise ValidationError(found) from error


def build_structure(*, program, version: ChecklistVersion, sections) -> int:
    """Write `sections` (SectionDocs) into an empty version; items numbered across the version.
    Returns how many items were written."""
    made = ChecklistSection.objects.bulk_create(
        [
            ChecklistSection(program=program, version=version, title=s.title, position=i)
            for i, s in enumerate(sections)
        ]
    )
    items = [
        ChecklistItem(program=program, version=version, section=section, **vars(item))
        for section, doc in zip(made, sections, strict=True)
        for item in doc.items
    ]
    for position, item in enumerate(items):
        item.position = position
    ChecklistItem.objects.bulk_create(items)
    return len(items)


def _save_new(template: ChecklistTemplate) -> None:
    if ChecklistTemplate.objects.filter(key=template.key).exists():
        raise ValidationError(
            {"key": f"Another template here already uses the key {template.key}."}
        )
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:  # a concurrent create took the key after the check
        raise ValidationError({"key": "Another template here already uses this key."}) from error


@transaction.atomic
def template_create(
    *, program, by, document: dict, publish: bool = False, source_pack: str = "", note: str = ""
) -> ChecklistTemplate:
    """A new template with version 1 holding the document's sections and items: a draft to
    build on, or published at once (`publish`, as a pack is loaded)."""
    doc = parse_document(document, require_items=publish)
    template = ChecklistTemplate(program=program, source_pack=source_pack, **doc.details())
    _save_new(template)
    version = ChecklistVersion.objects.create(
        program=program,
        template=template,
        number=1,
        created_by=by,
        change_note=(note or "First version.")[:300],
    )
    count = build_structure(program=program, version=version, sections=doc.sections)
    origin = f" from the “{source_pack}” pack" if source_pack else ""
    line(
        program,
        template.pk,
        by,
        "checklist_template.created",
        f"Template “{template.name}” created{origin} with {count} item{'s' * (count != 1)}.",
    )
    if publish:
        version_publish(program=program, version=version, by=by)
        template.refresh_from_db()
    return template


def _detail_document(template: ChecklistTemplate) -> dict:
    return {name: getattr(template, name) for name in DETAIL_FIELDS if name != "is_active"} | {
        "key": template.key,
        "sections": [],
    }


@transaction.atomic
def template_update(*, program, template: ChecklistTemplate, by, data: dict) -> ChecklistTemplate:
    """Change a template's details or schedule (DETAIL_FIELDS). They are not versioned: a new
    schedule applies to the instances made from now on; instances already made keep their
    dates."""
    ensure_in_program(program, template)
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This cannot be changed here."))
    locked = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    before = {name: getattr(locked, name) for name in DETAIL_FIELDS}
    active = data.get("is_active", locked.is_active)
    if not isinstance(active, bool):
        raise ValidationError({"is_active": "Give true or false."})
    merged = _detail_document(locked) | {k: v for k, v in data.items() if k != "is_active"}
    if merged.get("recurrence") != "after_event":
        merged["event"], merged["event_stage"] = "", ""
    doc = parse_document(merged)
    for name, value in doc.details().items():
        setattr(locked, name, value)
    locked.is_active = active
    changes, phrase = changes_phrase(
        ChecklistTemplate, before, {name: getattr(locked, name) for name in DETAIL_FIELDS}
    )
    if changes:
        locked.save()
        line(program, locked.pk, by, "checklist_template.edited", phrase, changes)
    return locked


def template_set_active(*, program, template: ChecklistTemplate, by, active: bool):
    """Deactivate a template (no new instances are made from it; those made stay) or
    reactivate it."""
    return template_update(program=program, template=template, by=by, data={"is_active": active})


# Versions ------------------------------------------------------------------------------------


def version_problems(version: ChecklistVersion) -> list[str]:
    """Why the version cannot be published yet (empty when it can), in words for the admin."""
    sections = list(ChecklistSection.objects.filter(version=version).order_by("position", "pk"))
    with_items = set(
        ChecklistItem.objects.filter(version=version).values_list("section_id", flat=True)
    )
    if not with_items:
        return ["Add at least one item before publishing."]
    return [
        f"The section “{section.title}” has no items: add some or remove it."
        for section in sections
        if section.pk not in with_items
    ]


@transaction.atomic
def version_publish(*, program, version: ChecklistVersion, by, change_note: str | None = None):
    """Make a draft the version new instances are made from. Instances already made keep the
    version they were made from."""
    ensure_in_program(program, version)
    template = ChecklistTemplate.objects.select_for_update().get(pk=version.template_id)
    locked = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError(f"Version {locked.number} is published already.")
    problems = version_problems(locked)
    if problems:
        raise ValidationError(problems)
    if change_note is not None:
        if len(change_note) > 300:
            raise ValidationError({"change_note": "Keep the note to 300 characters."})
        locked.change_note = change_note.strip()
    locked.status = VersionStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save()
    previous = template.current_version_id
    template.current_version = locked
    template.save(update_fields=["current_version", "updated_at"])
    kept = " Checklists already made keep the version they were made from." if previous else ""
    line(
        program,
        template.pk,
        by,
        "checklist_template.published",
        f"Version {locked.number} published: new checklists are made from it.{kept}",
        {"version": [None, locked.number]},
    )
    return locked


def copy_structure(*, program, source: ChecklistVersion, target: ChecklistVersion) -> None:
    sections = list(ChecklistSection.objects.filter(version=source).order_by("position", "pk"))
    copies = ChecklistSection.objects.bulk_create(
        [
            ChecklistSection(program=program, version=target, title=s.title, position=s.position)
            for s in sections
        ]
    )
    section_map = {old.pk: new for old, new in zip(sections, copies, strict=True)}
    fields = [f.name for f in ChecklistItem._meta.concrete_fields]
    kept = set(fields) - {"id", "program", "version", "section"}
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                program=program,
                version=target,
                section=section_map[item.section_id],
                **{name: getattr(item, name) for name in kept},
            )
            for item in ChecklistItem.objects.filter(version=source).order_by("position", "pk")
        ]
    )


@transaction.atomic
def version_new_draft(*, program, template: ChecklistTemplate, by, change_note: str = ""):
    """The way to change a published template: a draft numbered after the latest version, a
    copy of the current one's sections and items (keys kept, so answers line up across
    versions). A template has at most one draft."""
    ensure_in_program(program, template)
    locked = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    versions = ChecklistVersion.objects.filter(template=locked)
    draft = versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"Version {draft.number} is already a draft of this template: edit it, publish it "
            "or discard it first."
        )
    if len(change_note or "") > 300:
        raise ValidationError({"change_note": "Keep the note to 300 characters."})
    number = (versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    new = ChecklistVersion.objects.create(
        program=program,
        template=locked,
        number=number,
        change_note=(change_note or "").strip(),
        created_by=by,
    )
    source = locked.current_version or versions.exclude(pk=new.pk).order_by("-number").first()
    if source is not None:
        copy_structure(program=program, source=source, target=new)
    copied = f", a copy of version {source.number}" if source else ""
    line(
        program, locked.pk, by, "checklist_template.new_draft", f"Version {number} drafted{copied}."
    )
    return new


@transaction.atomic
def version_discard(*, program, version: ChecklistVersion, by) -> None:
    """Throw a draft away. A template's only version cannot go (there would be nothing left)."""
    ensure_in_program(program, version)
    locked = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError(f"Version {locked.number} is published and cannot be discarded.")
    if not ChecklistVersion.objects.filter(template_id=locked.template_id).exclude(pk=locked.pk):
        raise ValidationError(
            "This draft is the template's only version: there is nothing to go back to."
        )
    summary = f"Draft version {locked.number} discarded."
    line(program, locked.template_id, by, "checklist_template.discarded", summary)
    locked.delete()


@transaction.atomic
def draft_replace(*, program, version: ChecklistVersion, by, sections) -> ChecklistVersion:
    """Replace a draft's sections and items with `sections` (a document's `sections` list):
    what the API's PUT of a draft does, checked whole."""
    ensure_in_program(program, version)
    locked = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError(
            f"Version {locked.number} is published and cannot change: start a new version."
        )
    template = locked.template
    doc = parse_document(_detail_document(template) | {"sections": sections})
    ChecklistItem.objects.filter(version=locked).delete()
    ChecklistSection.objects.filter(version=locked).delete()
    count = build_structure(program=program, version=locked, sections=doc.sections)
    summary = (
        f"Draft version {locked.number} rewritten: {len(doc.sections)} sections, {count} items."
    )
    line(program, template.pk, by, "checklist_template.draft_replaced", summary)
    return locked
