"""Writing a program's own settings (its name, time zone, digest hour, date format, report
retention, the smallest peer group KPI comparisons show): the program admin's settings page
and `PATCH …/settings/` both call this.

A program is not a subject of the change history (psp/history files lines under a practice's
plans, rounds, visits and actions), so a change of settings is written to the `psp.security`
log instead: who changed which setting of which program, from what to what.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from psp.tenancy.models import Program

security_logger = logging.getLogger("psp.security")

SETTINGS_FIELDS = (
    "name",
    "description",
    "time_zone",
    "digest_hour",
    "date_style",
    "report_retention_days",
    "peer_group_minimum",
)


def program_settings_update(*, program: Program, by, data: dict) -> Program:
    """Change some of the program's settings (`data` holds any of SETTINGS_FIELDS; the others
    keep their values). Each value is checked by the model's own rules (a time zone must be an
    IANA name, the digest hour 0 to 23); a refused value changes nothing."""
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({name: "This is not a program setting." for name in sorted(unknown)})
    with transaction.atomic():
        locked = Program.objects.select_for_update().get(pk=program.pk)
        before = {name: getattr(locked, name) for name in SETTINGS_FIELDS}
        for name, value in data.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        others = [f.name for f in Program._meta.fields if f.name not in SETTINGS_FIELDS]
        locked.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        changes = {
            name: (old, getattr(locked, name))
            for name, old in before.items()
            if getattr(locked, name) != old
        }
        if changes:
            locked.save(update_fields=list(changes))
            security_logger.info(
                "Program settings of program %s changed by user %s: %s",
                locked.pk,
                getattr(by, "pk", None),
                "; ".join(
                    f"{name} {_short(old)} → {_short(new)}" for name, (old, new) in changes.items()
                ),
            )
    return locked


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:78] + "…"
