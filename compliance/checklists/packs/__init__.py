"""Checklist packs shipped with the platform, one JSON file each, written by us. They cite the
kinds of rule they serve as people cite them ("Privacy law: safeguards principle"), never a
law's or standard's own text:

    {
      "format": 1,
      "key": "privacy-confidentiality",     # a slug
      "name": "...", "summary": "one line",
      "sectors": [],                        # the sectors it suits ([] for every sector)
      "templates": [ {...}, ... ]           # 1 to 3 template documents (../document.py)
    }

Each pack is read whole and every problem is named by its path
("templates[1].sections[0].items[2].attester"). `compliance.checklists.services.pack_load` loads
one into a program.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.text import slugify

from compliance.checklists.document import DocumentInvalid, TemplateDoc
from psp.tenancy.models import Sector

PACK_DIR = Path(__file__).resolve().parent
FORMAT = 1
PACK_FIELDS = {"format", "key", "name", "summary", "sectors", "templates"}
MAX_TEMPLATES = 3


class PackError(ValueError):
    """A pack that cannot be loaded; `problems` names every fault found, by path."""

    def __init__(self, name: str, problems: list[str]):
        self.name = name
        self.problems = problems
        super().__init__(f"{name}: " + "; ".join(problems))


@dataclass(frozen=True)
class Pack:
    key: str
    name: str
    summary: str
    sectors: tuple[str, ...]
    templates: tuple[TemplateDoc, ...] = field(repr=False)

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [labels[s] for s in self.sectors] or ["Every sector"]

    @property
    def item_count(self) -> int:
        return sum(len(template.items) for template in self.templates)

    def suits(self, sectors) -> bool:
        """Whether the pack suits a program whose practices are in `sectors`."""
        return not self.sectors or bool(set(self.sectors) & set(sectors))


def available_packs() -> list[Pack]:
    """Every pack shipped with the platform: those for every sector first, then by name."""
    return sorted(_load_all(), key=lambda pack: (bool(pack.sectors), pack.name))


def pack_by_key(key: str) -> Pack:
    """The pack with this key; LookupError when there is none."""
    for pack in _load_all():
        if pack.key == key:
            return pack
    raise LookupError(f"There is no checklist pack called “{key}”.")


@cache
def _load_all() -> tuple[Pack, ...]:
    packs = tuple(read_pack(path) for path in sorted(PACK_DIR.glob("*.json")))
    problems = []
    for what, keys in (
        ("pack", [pack.key for pack in packs]),
        ("template", [t.key for pack in packs for t in pack.templates]),
    ):
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            problems.append(f"more than one {what} has the key {', '.join(repeated)}")
    if problems:
        raise PackError("packs", problems)
    return packs


def read_pack(path: Path) -> Pack:
    """Read one pack file; PackError naming every fault when it is unsound."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PackError(name, [f"cannot be read as JSON: {error}"]) from error
    return parse_pack(data, name=name)


def parse_pack(data, *, name: str = "pack") -> Pack:
    """A pack from its parsed JSON; PackError naming every fault by path."""
    if not isinstance(data, dict):
        raise PackError(name, ["must be a JSON object"])
    problems = [f"{key}: not a field of a pack" for key in sorted(data.keys() - PACK_FIELDS)]
    if data.get("format") != FORMAT:
        problems.append(f"format: must be {FORMAT}")
    key = data.get("key")
    if not isinstance(key, str) or not key or key != slugify(key):
        problems.append("key: use lower-case letters, digits and hyphens")
    for label in ("name", "summary"):
        if not isinstance(data.get(label), str) or not data[label].strip():
            problems.append(f"{label}: is missing")
    sectors = data.get("sectors")
    if not isinstance(sectors, list) or any(s not in Sector.values for s in sectors):
        problems.append(f"sectors: list some of {', '.join(Sector.values)} (or none for all)")
        sectors = []
    templates = data.get("templates")
    if not isinstance(templates, list) or not 1 <= len(templates) <= MAX_TEMPLATES:
        problems.append(f"templates: list 1 to {MAX_TEMPLATES} checklist templates")
        templates = []
    parsed = []
    for i, template in enumerate(templates):
        try:
            doc = TemplateDoc.parse(template, require_items=True)
        except DocumentInvalid as error:
            problems += [
                f"templates[{i}]{'.' if path else ''}{path}: {message}"
                for path, message in error.problems
            ]
            continue
        if doc.sector and sectors and doc.sector not in sectors:
            problems.append(f"templates[{i}].sector: not one of the pack's sectors")
        parsed.append(doc)
    if problems:
        raise PackError(name, problems)
    return Pack(
        key=key,
        name=data["name"].strip(),
        summary=data["summary"].strip(),
        sectors=tuple(sectors),
        templates=tuple(parsed),
    )
