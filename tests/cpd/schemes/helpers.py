"""Shared by the scheme page tests: URLs and the rules form as a browser sends it."""

from django.urls import reverse


def url(world, name: str, **kwargs) -> str:
    return reverse(f"cpd_schemes:{name}", kwargs={"program": world.program.slug, **kwargs})


def _blank(value):
    return "" if value is None else str(value)


def rules_post(rules: dict, *, note: str = "", spare: int = 2, **fields) -> dict:
    """The rules form filled from `rules`, with `spare` empty rows after each list of rows (as the
    page offers them), and `fields` set over the top (e.g. total="300")."""
    cycle, required = rules["cycle"], rules["required"]
    carry = rules.get("carry_over") or {}
    data = {
        "unit": rules["unit"],
        "cycle_years": str(cycle["years"]),
        "cycle_start": cycle["start"],
        "fixed_month": _blank(cycle.get("fixed_month")),
        "fixed_day": _blank(cycle.get("fixed_day")),
        "total": str(required["total"]),
        "per_year": _blank(required.get("per_year")),
        "carry_over_max": _blank(carry.get("max")),
        "carry_over_years": _blank(carry.get("from_last_years")),
        "note": note,
    }
    rows = {
        "categories": ("key", "name", "minimum", "per_year_minimum", "parent"),
        "credit_rules": ("activity_type", "per", "rate", "category", "cap_per_cycle"),
    }
    for prefix, names in rows.items():
        entries = rules[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = str(len(entries) + spare)
        data[f"{prefix}-INITIAL_FORMS"] = str(len(entries))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "30"
        for index, entry in enumerate(entries):
            for name in names:
                data[f"{prefix}-{index}-{name}"] = _blank(entry.get(name))
        for index in range(len(entries), len(entries) + spare):
            for name in names:
                # An empty row as the page shows it: "per hour" is chosen by default.
                data[f"{prefix}-{index}-{name}"] = "hour" if name == "per" else ""
    return data | {key: str(value) for key, value in fields.items()}
