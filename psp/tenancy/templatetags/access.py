"""Ask the permission matrix from a template: `{% if access|can:"plan.view" %}`.

The template context has `access` (psp/tenancy/context_processors.py), the person's
ProgramAccess in the program of the page, or None outside a program.
"""

from django import template

from psp.tenancy.permissions import Capability

register = template.Library()


@register.filter
def can(access, capability: str) -> bool:
    """May the person do this anywhere in the program? An unknown capability name raises, so a
    typo in a template fails its page's tests instead of hiding a link for everyone."""
    wanted = Capability(capability)
    return access is not None and access.can(wanted)


@register.simple_tag
def can_on(access, capability: str, practice_id) -> bool:
    """May the person do this on that practice?

    `{% can_on access "plan.edit" practice.pk as may_edit %}`"""
    wanted = Capability(capability)
    return access is not None and access.can(wanted, practice_id)


@register.filter
def first_own_practice(access, capability: str) -> int | None:
    """The first practice (by id) the person's own practice role gives `capability` over, or
    None: a lead's link to their practice's people page, `access|first_own_practice:"..."`."""
    wanted = Capability(capability)
    ids = access.own_practice_ids(wanted) if access is not None else []
    return ids[0] if ids else None
