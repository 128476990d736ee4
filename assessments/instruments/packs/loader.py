"""Reads and checks the instrument packs shipped in this folder (one JSON file per sector).

A pack file holds one practice-readiness self-assessment and its starter change library:

    {
      "format": 1,
      "key": "primary-care-readiness",          # becomes the instrument's key
      "name": "...", "summary": "one line", "description": "...",
      "sectors": ["primary_care"],              # the first is the instrument's sector
      "cadence_months": 6, "weak_threshold": 60,
      "scales": {"adoption": {"min": 1, "max": 5, "labels": {"1": "...", ..., "5": "..."}}},
      "domains": [
        {"key": "team-roles", "name": "...", "description": "...",
         "questions": [
           {"key": "...", "text": "...", "help": "...", "kind": "scale", "scale": "adoption",
            "weight": 2, "allow_na": true, "required": true, "scored": true},
           {"kind": "yes_no", "yes_is_positive": true, ...},
           {"kind": "single" | "multiple", "options": [{"value", "label", "score"}], ...},
           {"kind": "number", "number_min": 0, "number_max": 365, "unit": "days", ...},
           {"kind": "text", ...}
         ],
         "change_ideas": [
           {"goal": "...", "rationale": "...", "measure": "...", "actions": ["...", "..."],
            "kpi_key": "optional-kpi"}
         ]}
      ]
    }

`scale` is either the name of one of the pack's `scales` or an inline {"min", "max", "labels"}.
Defaults: `required` true (false for text), `scored` true for scale, yes/no and choice questions
(false for number and text), `weight` 1, `allow_na` false.

Checking a pack here means its structure is sound (keys unique, kinds known, every scale point
labelled, choices with two options or more, every domain with change ideas of 2–4 actions); the
service that loads it into a program then validates it again as any instrument is validated
when it is published.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.text import slugify

from assessments.instruments.models import SCORABLE_KINDS, QuestionKind
from psp.tenancy.models import Sector

PACK_DIR = Path(__file__).resolve().parent
FORMAT = 1
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


class PackError(ValueError):
    """A pack file that cannot be loaded; `problems` names every fault found."""

    def __init__(self, pack: str, problems: list[str]):
        self.pack = pack
        self.problems = problems
        super().__init__(f"{pack}: " + "; ".join(problems))


@dataclass(frozen=True)
class Pack:
    key: str
    name: str
    summary: str
    description: str
    sectors: tuple[str, ...]
    cadence_months: int
    weak_threshold: int
    domains: tuple[dict, ...] = field(repr=False)
    path: Path = field(repr=False)

    @property
    def sector(self) -> str:
        return self.sectors[0]

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [labels[s] for s in self.sectors]

    @property
    def questions(self) -> list[dict]:
        return [q for domain in self.domains for q in domain["questions"]]

    @property
    def change_ideas(self) -> list[dict]:
        return [idea for domain in self.domains for idea in domain["change_ideas"]]

    @property
    def domain_count(self) -> int:
        return len(self.domains)

    @property
    def question_count(self) -> int:
        return len(self.questions)

    @property
    def change_idea_count(self) -> int:
        return len(self.change_ideas)

    @property
    def kinds(self) -> set[str]:
        return {q["kind"] for q in self.questions}


def available_packs() -> list[Pack]:
    """Every pack shipped with the platform, by name."""
    return sorted(_load_all(), key=lambda pack: pack.name)


def pack_by_key(key: str) -> Pack:
    """The pack with this key; LookupError when there is none."""
    for pack in _load_all():
        if pack.key == key:
            return pack
    raise LookupError(f"There is no instrument pack called “{key}”.")


@cache
def _load_all() -> tuple[Pack, ...]:
    packs = tuple(read_pack(path) for path in sorted(PACK_DIR.glob("*.json")))
    keys = [pack.key for pack in packs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise PackError("packs", [f"more than one pack has the key {', '.join(duplicates)}"])
    return packs


def read_pack(path: Path) -> Pack:
    """Read one pack file, normalised (defaults filled in, scales inlined); PackError if unsound."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PackError(Path(path).name, [f"cannot be read as JSON: {error}"]) from error
    checker = _Checker(Path(path).name)
    pack = checker.pack(data, Path(path))
    if checker.problems:
        raise PackError(Path(path).name, checker.problems)
    return pack


class _Checker:
    def __init__(self, name: str):
        self.name = name
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, data: dict, key: str, where: str, *, required=True, limit=None) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.problem(where, f"`{key}` must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(where, f"`{key}` is missing")
        if limit and len(value) > limit:
            self.problem(where, f"`{key}` is longer than {limit} characters")
        return value

    def slug(self, data: dict, key: str, where: str) -> str:
        value = self.text(data, key, where)
        if value and value != slugify(value):
            self.problem(where, f"`{key}` “{value}” must be a slug (lower case, digits, hyphens)")
        return value

    def integer(self, data, key, where, *, low, high, default=None) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problem(where, f"`{key}` must be a whole number from {low} to {high}")
            return low
        return value

    def decimal(self, value, where, key) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.problem(where, f"`{key}` must be a number")
            return None

    # The pack -------------------------------------------------------------------------------
    def pack(self, data, path: Path) -> Pack:
        if not isinstance(data, dict):
            self.problem("pack", "must be a JSON object")
            data = {}
        if data.get("format") != FORMAT:
            self.problem("pack", f"`format` must be {FORMAT}")
        sectors = data.get("sectors")
        if not isinstance(sectors, list) or not sectors:
            self.problem("pack", "`sectors` must list at least one sector")
            sectors = []
        for sector in sectors:
            if sector not in Sector.values:
                self.problem("pack", f"unknown sector “{sector}”")
        scales = {}
        for name, scale in (data.get("scales") or {}).items():
            scales[name] = self.scale(scale, f"scale “{name}”")
        domains = data.get("domains")
        if not isinstance(domains, list) or not domains:
            self.problem("pack", "`domains` must list at least one domain")
            domains = []
        checked = [self.domain(d, i, scales) for i, d in enumerate(domains, start=1)]
        self.unique([d["key"] for d in checked], "domain keys")
        self.unique([q["key"] for d in checked for q in d["questions"]], "question keys")
        return Pack(
            key=self.slug(data, "key", "pack"),
            name=self.text(data, "name", "pack", limit=200),
            summary=self.text(data, "summary", "pack", limit=300),
            description=self.text(data, "description", "pack"),
            sectors=tuple(sectors),
            cadence_months=self.integer(data, "cadence_months", "pack", low=1, high=60),
            weak_threshold=self.integer(data, "weak_threshold", "pack", low=1, high=100),
            domains=tuple(checked),
            path=path,
        )

    def unique(self, keys: list[str], what: str) -> None:
        repeated = sorted({key for key in keys if key and keys.count(key) > 1})
        if repeated:
            self.problem("pack", f"repeated {what}: {', '.join(repeated)}")

    def scale(self, scale, where) -> dict:
        if not isinstance(scale, dict):
            self.problem(where, "must be an object with min, max and labels")
            return {"min": 1, "max": 5, "labels": {}}
        low = self.integer(scale, "min", where, low=-100, high=100, default=1)
        high = self.integer(scale, "max", where, low=-100, high=100, default=5)
        labels = scale.get("labels") or {}
        if high <= low:
            self.problem(where, "`max` must be above `min`")
        elif high - low > 10:
            self.problem(where, "a scale has at most 11 points")
        points = {str(n) for n in range(low, high + 1)}
        if not isinstance(labels, dict) or set(labels) != points:
            self.problem(where, f"needs a label for each point from {low} to {high}, and no other")
            labels = {}
        return {"min": low, "max": high, "labels": {k: str(v).strip() for k, v in labels.items()}}

    def domain(self, data, number: int, scales: dict) -> dict:
        where = f"domain {number}"
        if not isinstance(data, dict):
            self.problem(where, "must be an object")
            return {"key": "", "questions": [], "change_ideas": []}
        key = self.slug(data, "key", where)
        where = f"domain “{key or number}”"
        questions = data.get("questions") or []
        ideas = data.get("change_ideas") or []
        if not questions:
            self.problem(where, "has no questions")
        if not ideas:
            self.problem(where, "has no change ideas")
        return {
            "key": key,
            "name": self.text(data, "name", where, limit=200),
            "description": self.text(data, "description", where, required=False),
            "questions": [self.question(q, where, scales) for q in questions],
            "change_ideas": [self.change_idea(idea, where) for idea in ideas],
        }

    def question(self, data, domain_where: str, scales: dict) -> dict:
        if not isinstance(data, dict):
            self.problem(domain_where, "a question must be an object")
            data = {}
        key = self.slug(data, "key", f"{domain_where}, a question")
        where = f"question “{key}”"
        kind = data.get("kind")
        if kind not in QuestionKind.values:
            self.problem(where, f"unknown kind “{kind}”")
        scorable = kind in SCORABLE_KINDS
        question = {
            "key": key,
            "text": self.text(data, "text", where),
            "help_text": self.text(data, "help", where, required=False),
            "kind": kind,
            "required": data.get("required", kind != QuestionKind.TEXT),
            "scored": data.get("scored", scorable),
            "weight": self.decimal(data.get("weight", 1), where, "weight"),
            "allow_na": data.get("allow_na", False),
            "yes_is_positive": data.get("yes_is_positive", True),
            "options": [],
        }
        for flag in ("required", "scored", "allow_na", "yes_is_positive"):
            if not isinstance(question[flag], bool):
                self.problem(where, f"`{flag}` must be true or false")
        if question["scored"] and not scorable:
            self.problem(where, "only scale, yes/no and choice questions can be scored")
        if question["weight"] is not None and question["weight"] <= 0:
            self.problem(where, "`weight` must be above 0")
        if kind == QuestionKind.SCALE:
            scale = data.get("scale")
            if isinstance(scale, str):
                if scale not in scales:
                    self.problem(where, f"unknown scale “{scale}”")
                scale = scales.get(scale, {"min": 1, "max": 5, "labels": {}})
            else:
                scale = self.scale(scale, where)
            question.update(
                scale_min=scale["min"], scale_max=scale["max"], scale_labels=scale["labels"]
            )
        if kind in CHOICE_KINDS:
            question["options"] = self.options(data.get("options"), where)
        elif data.get("options"):
            self.problem(where, "only choice questions have options")
        if kind == QuestionKind.NUMBER:
            low = self.decimal(data.get("number_min"), where, "number_min")
            high = self.decimal(data.get("number_max"), where, "number_max")
            if low is not None and high is not None and high < low:
                self.problem(where, "`number_max` must not be below `number_min`")
            question.update(
                number_min=low, number_max=high, unit=self.text(data, "unit", where, limit=40)
            )
        return question

    def options(self, options, where) -> list[dict]:
        if not isinstance(options, list) or len(options) < 2:
            self.problem(where, "a choice question needs at least two options")
            return []
        checked = []
        for option in options:
            if not isinstance(option, dict):
                self.problem(where, "an option must be an object")
                continue
            checked.append(
                {
                    "value": self.slug(option, "value", where),
                    "label": self.text(option, "label", where, limit=200),
                    "score": self.decimal(option.get("score", 0), where, "score") or Decimal(0),
                }
            )
        self.unique([o["value"] for o in checked], f"option values in {where}")
        return checked

    def change_idea(self, data, where) -> dict:
        if not isinstance(data, dict):
            self.problem(where, "a change idea must be an object")
            data = {}
        goal = self.text(data, "goal", f"{where}, a change idea", limit=300)
        idea_where = f"{where}, change idea “{goal[:40]}”"
        actions = data.get("actions")
        if not isinstance(actions, list) or not 2 <= len(actions) <= 4:
            self.problem(idea_where, "needs 2 to 4 suggested actions")
            actions = []
        actions = [str(action).strip() for action in actions]
        if not all(actions):
            self.problem(idea_where, "an action is empty")
        kpi_key = data.get("kpi_key") or ""
        if kpi_key and kpi_key != slugify(kpi_key):
            self.problem(idea_where, "`kpi_key` must be a slug")
        return {
            "goal": goal,
            "rationale": self.text(data, "rationale", idea_where),
            "suggested_measure": self.text(data, "measure", idea_where, limit=300),
            "suggested_actions": actions,
            "kpi_key": kpi_key,
        }
