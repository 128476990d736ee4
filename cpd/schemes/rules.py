"""A CPD scheme's rules as data: the JSON document kept on a `CpdSchemeVersion`, read into frozen
dataclasses and checked whole, every problem named by its path ("categories[2].parent").

Pure: no database, no clock. The cycle dates live in `cycles.py`, the sums in
`cpd/progress/engine.py`; both read a parsed `Rules`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.text import slugify

from cpd.activities.models import ActivityType

UNITS = ("credits", "hours")
STARTS = ("fixed", "personal")
PER = ("hour", "item")
MAX_YEARS = 10
# Far above any body's requirement; it keeps a typo (25000 for 25) from looking valid.
MAX_AMOUNT = Decimal(10000)
CENT = Decimal("0.01")
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 February is a valid start


class RulesInvalid(ValueError):
    """The rules document has problems: `problems` is a list of (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


@dataclass(frozen=True)
class CycleRule:
    years: int
    start: str  # "fixed" (a reporting year) or "personal" (the person's own start date)
    fixed_month: int | None = None
    fixed_day: int | None = None


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    minimum: Decimal
    parent: str | None = None
    per_year_minimum: Decimal | None = None


@dataclass(frozen=True)
class CreditRule:
    activity_type: str
    per: str  # "hour" or "item"
    rate: Decimal
    category: str  # the category an activity of this type goes to unless the person picks another
    cap_per_cycle: Decimal | None = None


@dataclass(frozen=True)
class CarryOver:
    max: Decimal
    from_last_years: int


@dataclass(frozen=True)
class Rules:
    unit: str
    cycle: CycleRule
    total: Decimal
    per_year: Decimal | None
    categories: tuple[Category, ...]
    credit_rules: tuple[CreditRule, ...]
    carry_over: CarryOver | None = None

    @classmethod
    def parse(cls, data) -> "Rules":
        return _Parser().rules(data)

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(category.key for category in self.categories)

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def children_of(self, key: str) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.parent == key)

    def rule_for(self, activity_type: str) -> CreditRule | None:
        return next((r for r in self.credit_rules if r.activity_type == activity_type), None)

    def to_json(self) -> dict:
        cycle = {"years": self.cycle.years, "start": self.cycle.start}
        if self.cycle.start == "fixed":
            cycle |= {"fixed_month": self.cycle.fixed_month, "fixed_day": self.cycle.fixed_day}
        return {
            "unit": self.unit,
            "cycle": cycle,
            "required": {"total": _num(self.total), "per_year": _num(self.per_year)},
            "categories": [_category_json(c) for c in self.categories],
            "credit_rules": [_rule_json(r) for r in self.credit_rules],
            "carry_over": (
                {
                    "max": _num(self.carry_over.max),
                    "from_last_years": self.carry_over.from_last_years,
                }
                if self.carry_over
                else None
            ),
        }


def credits_for(rules: Rules, *, activity_type: str, hours, items) -> Decimal:
    """What an activity earns under `rules`, before any cap: hours or items times the rate, to
    the cent. A type the rules give no rate earns nothing."""
    rule = rules.rule_for(activity_type)
    if rule is None:
        return Decimal(0)
    amount = hours if rule.per == "hour" else items
    amount = Decimal(str(amount or 0))
    return (amount * rule.rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _num(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _category_json(category: Category) -> dict:
    data = {"key": category.key, "name": category.name, "minimum": _num(category.minimum)}
    if category.parent:
        data["parent"] = category.parent
    if category.per_year_minimum is not None:
        data["per_year_minimum"] = _num(category.per_year_minimum)
    return data


def _rule_json(rule: CreditRule) -> dict:
    data = {
        "activity_type": rule.activity_type,
        "per": rule.per,
        "rate": _num(rule.rate),
        "category": rule.category,
    }
    if rule.cap_per_cycle is not None:
        data["cap_per_cycle"] = _num(rule.cap_per_cycle)
    return data


class _Parser:
    """Reads the document part by part, gathering every problem rather than stopping at one."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str):
        self.problems.append((path, message))

    def rules(self, data) -> Rules:
        if not isinstance(data, dict):
            raise RulesInvalid([("", "The rules must be an object.")])
        self.known(
            data, "", {"unit", "cycle", "required", "categories", "credit_rules"} | {"carry_over"}
        )
        unit = data.get("unit")
        if unit not in UNITS:
            self.problem("unit", "Choose credits or hours.")
        cycle = self.cycle(data.get("cycle"))
        total, per_year = self.required(data.get("required"), cycle)
        categories = self.categories(data.get("categories"), total)
        credit_rules = self.credit_rules(data.get("credit_rules"), categories)
        carry_over = self.carry_over(data.get("carry_over"), cycle)
        if self.problems:
            raise RulesInvalid(self.problems)
        return Rules(unit, cycle, total, per_year, categories, credit_rules, carry_over)

    def known(self, data: dict, path: str, fields: set):
        """Names the fields nobody reads, so a misspelt one is not silently ignored."""
        prefix = f"{path}." if path else ""
        for key in sorted(data.keys() - fields):
            self.problem(f"{prefix}{key}", "Not a field the rules know.")

    def number(self, data: dict, key: str, path: str, *, positive=False, optional=False):
        value = data.get(key)
        if value is None:
            if not optional:
                self.problem(path, "Enter a number.")
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.problem(path, "Enter a number.")
            return None
        if number < 0 or (positive and number == 0):
            self.problem(path, "Enter a number above 0." if positive else "Enter 0 or more.")
        elif number > MAX_AMOUNT:
            self.problem(path, f"Enter at most {MAX_AMOUNT}.")
        elif number != number.quantize(CENT, rounding=ROUND_HALF_UP):
            self.problem(path, "Use at most two decimal places.")
        else:
            return number
        return None

    def integer(self, value, path: str, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(path, f"Enter a whole number from {low} to {high}.")
            return None
        return value

    def cycle(self, data) -> CycleRule | None:
        if not isinstance(data, dict):
            self.problem("cycle", "Say how long a cycle is and how it starts.")
            return None
        self.known(data, "cycle", {"years", "start", "fixed_month", "fixed_day"})
        years = self.integer(data.get("years"), "cycle.years", 1, MAX_YEARS)
        start = data.get("start")
        if start not in STARTS:
            self.problem("cycle.start", "Choose a fixed reporting year or the person's own date.")
            return None
        if start == "personal":
            return CycleRule(years, start) if years else None
        month = self.integer(data.get("fixed_month"), "cycle.fixed_month", 1, 12)
        day = None
        if month:
            last = DAYS_IN_MONTH[month - 1]
            day = self.integer(data.get("fixed_day"), "cycle.fixed_day", 1, last)
        if years and month and day:
            return CycleRule(years, start, month, day)
        return None

    def required(self, data, cycle: CycleRule | None):
        if not isinstance(data, dict):
            self.problem("required", "Say what is required: a total, and per year if any.")
            return None, None
        self.known(data, "required", {"total", "per_year"})
        total = self.number(data, "total", "required.total", positive=True)
        per_year = self.number(data, "per_year", "required.per_year", optional=True)
        if total is not None and per_year and per_year > total:
            self.problem("required.per_year", "The yearly minimum is more than the total.")
        return total, per_year

    def categories(self, data, total) -> tuple[Category, ...]:
        if not isinstance(data, list) or not data:
            self.problem("categories", "Add at least one category.")
            return ()
        categories = [self.category(item, f"categories[{i}]") for i, item in enumerate(data)]
        seen = set()
        for i, category in enumerate(categories):
            if category and category.key in seen:
                self.problem(f"categories[{i}].key", f"The key {category.key} is used twice.")
            seen.add(category and category.key)
        top = {c.key for c in categories if c and not c.parent}
        for i, category in enumerate(categories):
            if category and category.parent and category.parent not in top:
                self.problem(
                    f"categories[{i}].parent",
                    "The parent must be another category that has no parent itself.",
                )
        minimums = sum((c.minimum for c in categories if c and not c.parent), Decimal(0))
        if total is not None and minimums > total:
            self.problem(
                "categories",
                f"The categories' minimums add up to {_num(minimums)}, "
                f"more than the {_num(total)} required in total.",
            )
        return tuple(c for c in categories if c)

    def category(self, data, path: str) -> Category | None:
        if not isinstance(data, dict):
            self.problem(path, "A category must be an object.")
            return None
        before = len(self.problems)
        self.known(data, path, {"key", "name", "minimum", "parent", "per_year_minimum"})
        key = data.get("key")
        if not isinstance(key, str) or not key or slugify(key) != key:
            self.problem(f"{path}.key", "Use lower-case letters, digits and hyphens.")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem(f"{path}.name", "Give the category a name.")
        minimum = self.number(data, "minimum", f"{path}.minimum")
        yearly = self.number(data, "per_year_minimum", f"{path}.per_year_minimum", optional=True)
        parent = data.get("parent") or None
        if parent is not None and (not isinstance(parent, str) or parent == key):
            self.problem(f"{path}.parent", "The parent must be another category.")
        if len(self.problems) > before:
            return None
        return Category(key, name.strip(), minimum, parent, yearly)

    def credit_rules(self, data, categories) -> tuple[CreditRule, ...]:
        if not isinstance(data, list):
            self.problem("credit_rules", "List the credit rules (it may be empty).")
            return ()
        keys = {c.key for c in categories}
        rules, seen = [], set()
        for i, item in enumerate(data):
            rule = self.credit_rule(item, f"credit_rules[{i}]", keys)
            if rule and rule.activity_type in seen:
                self.problem(
                    f"credit_rules[{i}].activity_type",
                    "This activity type already has a rule.",
                )
            elif rule:
                seen.add(rule.activity_type)
                rules.append(rule)
        return tuple(rules)

    def credit_rule(self, data, path: str, category_keys: set) -> CreditRule | None:
        if not isinstance(data, dict):
            self.problem(path, "A credit rule must be an object.")
            return None
        before = len(self.problems)
        self.known(data, path, {"activity_type", "per", "rate", "category", "cap_per_cycle"})
        activity_type = data.get("activity_type")
        if activity_type not in ActivityType.values:
            self.problem(f"{path}.activity_type", "Choose an activity type.")
        per = data.get("per")
        if per not in PER:
            self.problem(f"{path}.per", "Choose per hour or per item.")
        rate = self.number(data, "rate", f"{path}.rate", positive=True)
        cap = self.number(
            data, "cap_per_cycle", f"{path}.cap_per_cycle", positive=True, optional=True
        )
        category = data.get("category")
        if category not in category_keys:
            self.problem(f"{path}.category", "Choose one of the scheme's categories.")
        if len(self.problems) > before:
            return None
        return CreditRule(activity_type, per, rate, category, cap)

    def carry_over(self, data, cycle: CycleRule | None) -> CarryOver | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            self.problem("carry_over", "Carry-over must be an object, or nothing.")
            return None
        self.known(data, "carry_over", {"max", "from_last_years"})
        most = self.number(data, "max", "carry_over.max", positive=True)
        years = self.integer(
            data.get("from_last_years"),
            "carry_over.from_last_years",
            1,
            cycle.years if cycle else MAX_YEARS,
        )
        return CarryOver(most, years) if most is not None and years else None
