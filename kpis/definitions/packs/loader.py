"""Reads and checks the KPI packs shipped in this folder (one JSON file per pack):

    {
      "format": 1,
      "key": "primary-care",                    # a slug; definitions remember it as `pack`
      "name": "...", "summary": "one line",
      "sectors": ["primary_care"],              # the programs it is meant for; [] for any
      "kpis": [
        {"code": "no-show-rate", "name": "...", "description": "plain words",
         "unit": "percent", "direction": "lower", "aggregation": "mean",
         "frequency": "monthly", "source": "entered", "sector": "",
         "target": 5, "min": 0, "max": 100},
        {"code": "visits", "source": "computed", "measure": "visits", ...},
        {"source": "computed", "measures": "days-in-stage-*", "frequency": "monthly"}
      ]
    }

A computed KPI names one registered measure (psp/measures/registry.py); an entry with
`measures` (a prefix ending in `*`) stands for every registered measure whose code starts so,
each becoming a KPI named and described as its measure. Codes must be the `kpi_key`s the
instrument packs and change ideas use where they mean the same thing (kpis/catalog.py).
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.text import slugify

from kpis.models import Source
from psp.measures.registry import Aggregation, Direction, Frequency, Unit
from psp.tenancy.models import Sector

PACK_DIR = Path(__file__).resolve().parent
FORMAT = 1
CHOICES = {
    "unit": Unit.values,
    "direction": Direction.values,
    "aggregation": Aggregation.values,
    "frequency": Frequency.values,
    "source": Source.values,
}


class PackError(ValueError):
    """A pack file that cannot be loaded; `problems` names every fault found."""

    def __init__(self, pack: str, problems: list[str]):
        self.pack = pack
        self.problems = problems
        super().__init__(f"{pack}: " + "; ".join(problems))


@dataclass(frozen=True)
class PackKpi:
    code: str  # for a `measures` entry, its prefix (e.g. "days-in-stage-")
    name: str
    description: str
    unit: str
    direction: str
    aggregation: str
    frequency: str
    source: str
    measure: str = ""
    sector: str = ""
    target: Decimal | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    each_measure: bool = False  # stands for every registered measure starting with `code`


@dataclass(frozen=True)
class Pack:
    key: str
    name: str
    summary: str
    sectors: tuple[str, ...]
    kpis: tuple[PackKpi, ...] = field(repr=False)

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [labels[s] for s in self.sectors]


def available_packs() -> list[Pack]:
    """Every pack shipped with the platform: the sectors' by name, the platform's last."""
    return sorted(_load_all(), key=lambda pack: (not pack.sectors, pack.name))


def pack_by_key(key: str) -> Pack:
    """The pack with this key; LookupError when there is none."""
    for pack in _load_all():
        if pack.key == key:
            return pack
    raise LookupError(f"There is no KPI pack called “{key}”.")


def packs_for_sector(sector: str) -> list[Pack]:
    return [pack for pack in available_packs() if sector in pack.sectors]


@cache
def _load_all() -> tuple[Pack, ...]:
    packs = tuple(read_pack(path) for path in sorted(PACK_DIR.glob("*.json")))
    keys = [pack.key for pack in packs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise PackError("packs", [f"more than one pack has the key {', '.join(duplicates)}"])
    return packs


def read_pack(path: Path) -> Pack:
    """Read one pack file; PackError naming every fault when it is unsound."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PackError(name, [f"cannot be read as JSON: {error}"]) from error
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PackError(name, ["must be a JSON object"])
    if data.get("format") != FORMAT:
        problems.append(f"`format` must be {FORMAT}")
    sectors = data.get("sectors")
    if not isinstance(sectors, list) or any(s not in Sector.values for s in sectors):
        problems.append("`sectors` must list known sectors (or be empty)")
        sectors = []
    key = str(data.get("key") or "")
    if not key or key != slugify(key):
        problems.append("`key` must be a slug")
    entries = data.get("kpis")
    if not isinstance(entries, list) or not entries:
        problems.append("`kpis` must list at least one KPI")
        entries = []
    kpis = [_kpi(entry, number, problems) for number, entry in enumerate(entries, start=1)]
    codes = [kpi.code for kpi in kpis]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        problems.append(f"repeated codes: {', '.join(repeated)}")
    for label in ("name", "summary"):
        if not str(data.get(label) or "").strip():
            problems.append(f"`{label}` is missing")
    if problems:
        raise PackError(name, problems)
    return Pack(
        key=key,
        name=data["name"].strip(),
        summary=data["summary"].strip(),
        sectors=tuple(sectors),
        kpis=tuple(kpis),
    )


def _kpi(entry, number: int, problems: list[str]) -> PackKpi:
    if not isinstance(entry, dict):
        problems.append(f"KPI {number}: must be an object")
        return PackKpi(str(number), "", "", "", "", "", "", "")
    pattern = str(entry.get("measures") or "")
    each = bool(pattern)
    code = pattern.removesuffix("*") if each else str(entry.get("code") or "")
    where = f"KPI “{code or number}”"
    if each and not pattern.endswith("*"):
        problems.append(f"{where}: `measures` must end with *")
    if not code or code.rstrip("-") != slugify(code.rstrip("-")):
        problems.append(f"{where}: `code` must be a slug")
    values = {}
    for name, allowed in CHOICES.items():
        value = entry.get(name, "" if each and name != "frequency" else None)
        if value not in allowed and not (each and value == ""):
            problems.append(f"{where}: `{name}` must be one of {', '.join(allowed)}")
        values[name] = value or ""
    measure = str(entry.get("measure") or "")
    computed = values["source"] == Source.COMPUTED or each
    if computed and not (measure or each):
        problems.append(f"{where}: a computed KPI names its `measure`")
    if measure and not computed:
        problems.append(f"{where}: only a computed KPI names a measure")
    sector = entry.get("sector", "")
    if sector and sector not in Sector.values:
        problems.append(f"{where}: unknown sector “{sector}”")
    text = {name: str(entry.get(name) or "").strip() for name in ("name", "description")}
    if not each and not all(text.values()):
        problems.append(f"{where}: needs a `name` and a `description`")
    numbers = {name: _number(entry.get(name), where, name, problems) for name in NUMBERS}
    if None not in (numbers["min"], numbers["max"]) and numbers["min"] > numbers["max"]:
        problems.append(f"{where}: `min` is above `max`")
    return PackKpi(
        code=code,
        **text,
        **{**values, "source": Source.COMPUTED if each else values["source"]},
        measure=measure,
        sector=sector,
        target=numbers["target"],
        min_value=numbers["min"],
        max_value=numbers["max"],
        each_measure=each,
    )


NUMBERS = ("target", "min", "max")


def _number(value, where: str, name: str, problems: list[str]) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.append(f"{where}: `{name}` must be a number")
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{where}: `{name}` must be a number")
        return None
