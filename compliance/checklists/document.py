"""A checklist template as a document: what a pack file holds for each template, what the API
takes to create one, and what a draft's sections and items are replaced with.

    {
      "key": "privacy-annual",                 # a slug, unique in the program
      "name": "...", "description": "...",
      "sector": "",                            # "" for every sector, else one Sector value
      "recurrence": "annually",                # once, monthly, quarterly, annually, after_event
      "anchor_month": 1,                       # quarters and years start in this month
      "due_days": 30,                          # once / after an event: days to complete it
      "event": "", "event_stage": "",          # after_event: enrolment or stage_move (+ stage)
      "sections": [
        {"title": "...", "items": [
          {"key": "notice-displayed", "text": "...", "guidance": "...", "reference": "...",
           "response_type": "done", "yes_is_compliant": true,
           "evidence_required": false, "attester": "lead"}
        ]}
      ]
    }

Read whole, every problem named by its path ("sections[1].items[3].response_type"), as the CPD
rules document is (cpd/schemes/rules.py). Pure: no database. Defaults: `recurrence` annually,
`anchor_month` 1, `due_days` 30, `response_type` done, `yes_is_compliant` true,
`evidence_required` false, `attester` lead.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from compliance.checklists.models import Attester, Recurrence, RecurrenceEvent, ResponseType
from practices.models import Stage
from psp.tenancy.models import Sector

TEMPLATE_FIELDS = {
    "key",
    "name",
    "description",
    "sector",
    "recurrence",
    "anchor_month",
    "due_days",
    "event",
    "event_stage",
    "sections",
}
ITEM_FIELDS = {
    "key",
    "text",
    "guidance",
    "reference",
    "response_type",
    "yes_is_compliant",
    "evidence_required",
    "attester",
}
MAX_DUE_DAYS = 365


class DocumentInvalid(ValueError):
    """The document has problems: `problems` is a list of (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


@dataclass(frozen=True)
class ItemDoc:
    key: str
    text: str
    guidance: str = ""
    reference: str = ""
    response_type: str = ResponseType.DONE
    yes_is_compliant: bool = True
    evidence_required: bool = False
    attester: str = Attester.LEAD


@dataclass(frozen=True)
class SectionDoc:
    title: str
    items: tuple[ItemDoc, ...]


@dataclass(frozen=True)
class TemplateDoc:
    key: str
    name: str
    description: str
    sector: str
    recurrence: str
    anchor_month: int
    due_days: int
    event: str
    event_stage: str
    sections: tuple[SectionDoc, ...]

    @classmethod
    def parse(cls, data, *, require_items: bool = False) -> "TemplateDoc":
        return _Parser().template(data, require_items=require_items)

    @property
    def items(self) -> list[ItemDoc]:
        return [item for section in self.sections for item in section.items]

    def details(self) -> dict:
        """The template's own fields (everything but its sections)."""
        return {name: getattr(self, name) for name in sorted(TEMPLATE_FIELDS - {"sections"})}


class _Parser:
    """Reads the document part by part, gathering every problem rather than stopping at one."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def known(self, data: dict, path: str, fields: set) -> None:
        """Names the fields nobody reads, so a misspelt one is not silently ignored."""
        prefix = f"{path}." if path else ""
        for key in sorted(data.keys() - fields):
            self.problem(f"{prefix}{key}", "Not a field of a checklist template.")

    def text(self, data: dict, key: str, path: str, *, required=False, limit=None) -> str:
        value = data.get(key, "")
        where = f"{path}.{key}" if path else key
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(where, "Give text.")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(where, "This is required.")
        elif limit and len(value) > limit:
            self.problem(where, f"Keep it to {limit} characters.")
        return value

    def slug(self, data: dict, key: str, path: str, limit: int = 80) -> str:
        value = self.text(data, key, path, required=True, limit=limit)
        if value and value != slugify(value):
            where = f"{path}.{key}" if path else key
            self.problem(where, "Use lower-case letters, digits and hyphens.")
        return value

    def flag(self, data: dict, key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", "Give true or false.")
            return default
        return value

    def choice(self, data: dict, key: str, path: str, choices, default: str) -> str:
        value = data.get(key, default)
        if value is None:
            value = ""
        if value not in choices:
            where = f"{path}.{key}" if path else key
            allowed = ", ".join(repr(c) if c == "" else c for c in choices)
            self.problem(where, f"Choose one of {allowed}.")
            return default
        return value

    def integer(self, data: dict, key: str, low: int, high: int, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(key, f"Give a whole number from {low} to {high}.")
            return default
        return value

    def template(self, data, *, require_items: bool) -> TemplateDoc:
        if not isinstance(data, dict):
            raise DocumentInvalid([("", "A checklist template must be an object.")])
        self.known(data, "", TEMPLATE_FIELDS)
        recurrence = self.choice(data, "recurrence", "", Recurrence.values, Recurrence.ANNUALLY)
        event, stage = self.event(data, recurrence)
        sections = self.sections(data.get("sections", []), require_items=require_items)
        doc = TemplateDoc(
            key=self.slug(data, "key", ""),
            name=self.text(data, "name", "", required=True, limit=200),
            description=self.text(data, "description", ""),
            sector=self.choice(data, "sector", "", ["", *Sector.values], ""),
            recurrence=recurrence,
            anchor_month=self.integer(data, "anchor_month", 1, 12, 1),
            due_days=self.integer(data, "due_days", 1, MAX_DUE_DAYS, 30),
            event=event,
            event_stage=stage,
            sections=sections,
        )
        if self.problems:
            raise DocumentInvalid(self.problems)
        return doc

    def event(self, data: dict, recurrence: str) -> tuple[str, str]:
        if recurrence != Recurrence.AFTER_EVENT:
            if data.get("event") or data.get("event_stage"):
                self.problem("event", "Only a checklist due after an event names one.")
            return "", ""
        event = self.choice(data, "event", "", RecurrenceEvent.values, RecurrenceEvent.ENROLMENT)
        stage = self.choice(data, "event_stage", "", ["", *Stage.values], "")
        if stage and event != RecurrenceEvent.STAGE_MOVE:
            self.problem("event_stage", "Only a checklist due after a stage move names a stage.")
        return event, stage

    def sections(self, data, *, require_items: bool) -> tuple[SectionDoc, ...]:
        if not isinstance(data, list):
            self.problem("sections", "List the sections (it may be empty for a draft).")
            return ()
        if require_items and not data:
            self.problem("sections", "Add at least one section with items.")
        sections = [self.section(s, f"sections[{i}]", require_items) for i, s in enumerate(data)]
        seen: dict[str, str] = {}
        for i, section in enumerate(sections):
            for j, item in enumerate(section.items):
                path = f"sections[{i}].items[{j}].key"
                if item.key and item.key in seen:
                    self.problem(path, f"The key {item.key} is used already ({seen[item.key]}).")
                seen.setdefault(item.key, path.removesuffix(".key"))
        return tuple(sections)

    def section(self, data, path: str, require_items: bool) -> SectionDoc:
        if not isinstance(data, dict):
            self.problem(path, "A section must be an object with a title and items.")
            return SectionDoc("", ())
        self.known(data, path, {"title", "items"})
        items = data.get("items", [])
        if not isinstance(items, list):
            self.problem(f"{path}.items", "List the section's items.")
            items = []
        if require_items and not items:
            self.problem(f"{path}.items", "Add at least one item.")
        return SectionDoc(
            title=self.text(data, "title", path, required=True, limit=200),
            items=tuple(self.item(item, f"{path}.items[{j}]") for j, item in enumerate(items)),
        )

    def item(self, data, path: str) -> ItemDoc:
        if not isinstance(data, dict):
            self.problem(path, "An item must be an object.")
            return ItemDoc("", "")
        self.known(data, path, ITEM_FIELDS)
        response_type = self.choice(
            data, "response_type", path, ResponseType.values, ResponseType.DONE
        )
        yes_is_compliant = self.flag(data, "yes_is_compliant", path, True)
        if response_type != ResponseType.YES_NO and not yes_is_compliant:
            self.problem(f"{path}.yes_is_compliant", "Only a yes/no item has a compliant answer.")
        return ItemDoc(
            key=self.slug(data, "key", path),
            text=self.text(data, "text", path, required=True, limit=1000),
            guidance=self.text(data, "guidance", path),
            reference=self.text(data, "reference", path, limit=300),
            response_type=response_type,
            yes_is_compliant=yes_is_compliant,
            evidence_required=self.flag(data, "evidence_required", path, False),
            attester=self.choice(data, "attester", path, Attester.values, Attester.LEAD),
        )


def document_of(template, version) -> dict:
    """A template and one of its versions as a document (what `TemplateDoc.parse` reads): for
    the API, and for copying a template into another program by hand. `version` is fetched
    with its sections and items (`selectors.structure`)."""
    return {
        "key": template.key,
        "name": template.name,
        "description": template.description,
        "sector": template.sector,
        "recurrence": template.recurrence,
        "anchor_month": template.anchor_month,
        "due_days": template.due_days,
        "event": template.event,
        "event_stage": template.event_stage,
        "sections": [
            {
                "title": section.title,
                "items": [
                    {name: getattr(item, name) for name in sorted(ITEM_FIELDS)}
                    for item in section.item_list
                ],
            }
            for section in version.section_list
        ],
    }
