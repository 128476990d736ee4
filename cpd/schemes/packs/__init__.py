"""CPD scheme templates shipped with the platform, one JSON file each, written by us and modelled
on the kinds of rules professional bodies publish (no body's text is copied):

    {
      "format": 1,
      "key": "family-medicine",            # a slug; the scheme loaded from it takes it as code
      "name": "...", "description": "plain words", "body": "who sets such rules",
      "sectors": ["primary_care"],         # the programs it suits ([] for any)
      "roles": ["lead", "staff"],          # who it applies to once loaded
      "rules": {...}                       # a rules document (cpd/schemes/rules.py)
    }

`cpd.schemes.services.scheme_load_template` loads one into a program.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.text import slugify

from cpd.schemes.rules import Rules, RulesInvalid
from psp.tenancy.models import Sector

PACK_DIR = Path(__file__).resolve().parent
FORMAT = 1
ROLES = ("lead", "staff", "coach", "manager", "admin")


class TemplateError(ValueError):
    """A template file that cannot be loaded; `problems` names every fault found."""

    def __init__(self, name: str, problems: list[str]):
        self.name = name
        self.problems = problems
        super().__init__(f"{name}: " + "; ".join(problems))


@dataclass(frozen=True)
class SchemeTemplate:
    key: str
    name: str
    description: str
    body: str
    sectors: tuple[str, ...]
    roles: tuple[str, ...]
    rules: Rules = field(repr=False)

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [labels[s] for s in self.sectors]


def available_templates() -> list[SchemeTemplate]:
    return sorted(_load_all(), key=lambda template: template.name)


def template_by_key(key: str) -> SchemeTemplate:
    """The template with this key; LookupError when there is none."""
    for template in _load_all():
        if template.key == key:
            return template
    raise LookupError(f"There is no scheme template called “{key}”.")


def templates_for_sector(sector: str) -> list[SchemeTemplate]:
    return [t for t in available_templates() if not t.sectors or sector in t.sectors]


@cache
def _load_all() -> tuple[SchemeTemplate, ...]:
    templates = tuple(read_template(path) for path in sorted(PACK_DIR.glob("*.json")))
    keys = [t.key for t in templates]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise TemplateError("templates", [f"more than one has the key {', '.join(repeated)}"])
    return templates


def read_template(path: Path) -> SchemeTemplate:
    """Read one template file; TemplateError naming every fault when it is unsound."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TemplateError(name, [f"cannot be read as JSON: {error}"]) from error
    if not isinstance(data, dict):
        raise TemplateError(name, ["must be a JSON object"])
    problems = []
    if data.get("format") != FORMAT:
        problems.append(f"`format` must be {FORMAT}")
    key = str(data.get("key") or "")
    if not key or key != slugify(key):
        problems.append("`key` must be a slug")
    for label in ("name", "description", "body"):
        if not str(data.get(label) or "").strip():
            problems.append(f"`{label}` is missing")
    sectors = data.get("sectors")
    if not isinstance(sectors, list) or any(s not in Sector.values for s in sectors):
        problems.append("`sectors` must list known sectors (or be empty)")
    roles = data.get("roles")
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        problems.append(f"`roles` must list some of {', '.join(ROLES)}")
    try:
        rules = Rules.parse(data.get("rules"))
    except RulesInvalid as error:
        problems += [f"rules.{path}: {message}" for path, message in error.problems]
    if problems:
        raise TemplateError(name, problems)
    return SchemeTemplate(
        key=key,
        name=data["name"].strip(),
        description=data["description"].strip(),
        body=data["body"].strip(),
        sectors=tuple(sectors),
        roles=tuple(roles),
        rules=rules,
    )
