"""Writes to a draft version's sections and items: add, edit, move and remove. Every function
refuses a published version (start a new version to change one), takes the program explicitly,
refuses another program's objects with a ValidationError, runs in one transaction (bad input
changes nothing) and files a history line under the template.

Items are numbered across the whole version (`ChecklistItem.position`), so an instance reads
them in order without joining sections; every change renumbers them in section order.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from compliance.checklists.document import ITEM_FIELDS
from compliance.checklists.models import (
    Attester,
    ChecklistItem,
    ChecklistSection,
    ChecklistVersion,
    ResponseType,
    VersionStatus,
)
from compliance.checklists.services import line
from psp.tenancy.base import ensure_in_program

UP, DOWN = "up", "down"
# What the item form and the API may set; `section` moves an item to another section.
EDITABLE_ITEM_FIELDS = ("section", *sorted(ITEM_FIELDS))
TEXT_LIMITS = {"key": 80, "reference": 300, "text": 1000}


def locked_draft(version_id: int) -> ChecklistVersion:
    """The version, locked for the rest of the transaction; refuses a published one."""
    version = ChecklistVersion.objects.select_for_update().get(pk=version_id)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            f"Version {version.number} is published and cannot change. Start a new version to "
            "change the template."
        )
    return version


def renumber(version: ChecklistVersion) -> None:
    """Number the version's sections, and its items across the version, in order."""
    sections = list(ChecklistSection.objects.filter(version=version).order_by("position", "pk"))
    order = {section.pk: index for index, section in enumerate(sections)}
    for index, section in enumerate(sections):
        section.position = index
    ChecklistSection.objects.bulk_update(sections, ["position"])
    items = sorted(
        ChecklistItem.objects.filter(version=version),
        key=lambda item: (order[item.section_id], item.position, item.pk),
    )
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    ChecklistItem.objects.bulk_update(changed, ["position"])


def _swap(rows: list, obj, direction: str) -> None:
    """Swap `obj` with its neighbour in `rows` (in order) and give them positions 0, 1, ..."""
    if direction not in (UP, DOWN):
        raise ValidationError({"direction": "Move up or down."})
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    target = index - 1 if direction == UP else index + 1
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows):
        row.position = position
    type(obj).objects.bulk_update(rows, ["position"])


def _title(title) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Give the section a title."})
    if len(title) > 200:
        raise ValidationError({"title": "Keep the title to 200 characters."})
    return title


def _draft_line(version: ChecklistVersion, by, what: str, summary: str) -> None:
    line(version.program, version.template_id, by, what, f"Draft v{version.number}: {summary}")


# Sections ------------------------------------------------------------------------------------


@transaction.atomic
def section_add(*, program, version: ChecklistVersion, by, title: str) -> ChecklistSection:
    ensure_in_program(program, version)
    version = locked_draft(version.pk)
    count = ChecklistSection.objects.filter(version=version).count()
    section = ChecklistSection.objects.create(
        program=program, version=version, title=_title(title), position=count
    )
    _draft_line(
        version, by, "checklist_template.section_added", f"section “{section.title}” added."
    )
    return section


@transaction.atomic
def section_edit(*, program, section: ChecklistSection, by, title: str) -> ChecklistSection:
    ensure_in_program(program, section)
    version = locked_draft(section.version_id)
    before, section.title = section.title, _title(title)
    if before != section.title:
        section.save(update_fields=["title"])
        summary = f"section “{before}” renamed “{section.title}”."
        _draft_line(version, by, "checklist_template.section_edited", summary)
    return section


@transaction.atomic
def section_move(*, program, section: ChecklistSection, by, direction: str) -> ChecklistSection:
    ensure_in_program(program, section)
    version = locked_draft(section.version_id)
    rows = list(ChecklistSection.objects.filter(version=version).order_by("position", "pk"))
    _swap(rows, section, direction)
    renumber(version)
    summary = f"section “{section.title}” moved {direction}."
    _draft_line(version, by, "checklist_template.section_moved", summary)
    return section


@transaction.atomic
def section_remove(*, program, section: ChecklistSection, by) -> None:
    """Remove a section and its items from the draft."""
    ensure_in_program(program, section)
    version = locked_draft(section.version_id)
    count = ChecklistItem.objects.filter(section=section).count()
    section.delete()
    renumber(version)
    summary = f"section “{section.title}” removed with its {count} item{'s' * (count != 1)}."
    _draft_line(version, by, "checklist_template.section_removed", summary)


# Items ---------------------------------------------------------------------------------------


def _clean_item(item: ChecklistItem, key_given: bool) -> None:
    errors = {}
    for name in ("key", "text", "guidance", "reference"):
        value = getattr(item, name)
        if not isinstance(value, str):
            errors[name] = "Give text."
            continue
        setattr(item, name, value.strip())
        limit = TEXT_LIMITS.get(name)
        if limit and len(getattr(item, name)) > limit:
            errors[name] = f"Keep it to {limit} characters."
    if not errors.get("text") and not item.text:
        errors["text"] = "Write what must be checked."
    if item.response_type not in ResponseType.values:
        errors["response_type"] = "Choose how the item is answered."
    if item.attester not in Attester.values:
        errors["attester"] = "Choose who signs the item off."
    for name in ("yes_is_compliant", "evidence_required"):
        if not isinstance(getattr(item, name), bool):
            errors[name] = "Give true or false."
    if item.response_type != ResponseType.YES_NO:
        item.yes_is_compliant = True  # only a yes/no item has a compliant answer
    if errors:
        raise ValidationError(errors)
    taken = set(
        ChecklistItem.objects.filter(version_id=item.version_id)
        .exclude(pk=item.pk)
        .values_list("key", flat=True)
    )
    if key_given:
        if item.key != slugify(item.key):
            raise ValidationError({"key": "Use lower-case letters, digits and hyphens."})
        if item.key in taken:
            raise ValidationError({"key": "Another item of this version already uses this key."})
    else:
        base = slugify(item.text)[:60].strip("-") or "item"
        item.key, number = base, 2
        while item.key in taken:
            item.key, number = f"{base}-{number}", number + 1


def _section_of(version: ChecklistVersion, section) -> ChecklistSection:
    if not isinstance(section, ChecklistSection) or section.version_id != version.pk:
        raise ValidationError({"section": "Choose a section of this version."})
    return section


def _unknown(data: dict) -> None:
    unknown = set(data) - set(EDITABLE_ITEM_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This cannot be changed here."))


@transaction.atomic
def item_add(*, program, section: ChecklistSection, by, text: str, **fields) -> ChecklistItem:
    """An item at the end of `section`. Unset fields take the defaults (done / not done, no
    evidence, signed off by the practice lead); a key is made from the text when none is
    given."""
    ensure_in_program(program, section)
    _unknown(fields)
    version = locked_draft(section.version_id)
    fields.pop("section", None)
    key_given = bool((fields.get("key") or "").strip())
    last = ChecklistItem.objects.filter(section=section).order_by("-position").first()
    item = ChecklistItem(
        program=program,
        version=version,
        section=section,
        text=text,
        position=(last.position + 1) if last else 10_000,
        **{name: value for name, value in fields.items() if value is not None},
    )
    _clean_item(item, key_given)
    item.save()
    renumber(version)
    item.refresh_from_db(fields=["position"])
    _draft_line(version, by, "checklist_template.item_added", f"item “{item.text[:80]}” added.")
    return item


@transaction.atomic
def item_edit(*, program, item: ChecklistItem, by, data: dict) -> ChecklistItem:
    """Change an item of a draft; a new `section` puts it at the end of that section."""
    ensure_in_program(program, item)
    _unknown(data)
    version = locked_draft(item.version_id)
    updated = ChecklistItem.objects.get(pk=item.pk)
    moved = False
    for name, value in data.items():
        if name == "section":
            section = _section_of(version, value)
            moved = section.pk != updated.section_id
            if moved:
                updated.section, updated.position = section, 10_000
        else:
            setattr(updated, name, "" if value is None and name != "key" else value)
    key_given = bool((updated.key or "").strip()) if isinstance(updated.key, str) else True
    _clean_item(updated, key_given)
    updated.save()
    if moved:
        renumber(version)
        updated.refresh_from_db(fields=["position"])
    _draft_line(
        version, by, "checklist_template.item_edited", f"item “{updated.text[:80]}” changed."
    )
    return updated


@transaction.atomic
def item_move(*, program, item: ChecklistItem, by, direction: str) -> ChecklistItem:
    """Up or down within its section."""
    ensure_in_program(program, item)
    version = locked_draft(item.version_id)
    rows = list(ChecklistItem.objects.filter(section_id=item.section_id).order_by("position", "pk"))
    _swap(rows, item, direction)
    renumber(version)
    summary = f"item “{item.text[:80]}” moved {direction}."
    _draft_line(version, by, "checklist_template.item_moved", summary)
    return item


@transaction.atomic
def item_remove(*, program, item: ChecklistItem, by) -> None:
    ensure_in_program(program, item)
    version = locked_draft(item.version_id)
    item.delete()
    renumber(version)
    _draft_line(version, by, "checklist_template.item_removed", f"item “{item.text[:80]}” removed.")
