"""Template tags that put caseloads and dose on other apps' pages (the program home, the
practice page), which cannot import coaching themselves.

    {% load coaching_caseload %}
    {% my_caseload as caseload %}                       the signed-in coach's caseload
    {% caseload_attention limit=5 as attention %}       practices needing attention, program-wide
    {% practice_dose_panel practice %}                  the practice page's dose panel
    {{ minutes|duration }}                              90 -> "1 h 30 min"
"""

from django import template

from coaching.caseload import dose as dose_selectors
from coaching.caseload import selectors, standings
from coaching.caseload.rules import CaseloadStatus
from coaching.templatetags.coaching_visits import minutes as format_minutes
from psp.tenancy.permissions import Capability, Reach

register = template.Library()


@register.simple_tag(takes_context=True)
def my_caseload(context):
    """The signed-in person's own caseload (a coach's practices), worst first; None for anyone
    without a caseload view. Eleven queries."""
    access, request = context.get("access"), context.get("request")
    if access is None or request is None or not access.can(Capability.CASELOAD_VIEW):
        return None
    return selectors.caseload(access=access, coach_id=request.user.pk)


@register.simple_tag(takes_context=True)
def caseload_attention(context, limit: int = 5):
    """For the program's admins and managers: counts per status over every practice and the
    `limit` worst practices that are not on track. None for anyone else."""
    access = context.get("access")
    if access is None or Reach.PROGRAM not in access.reaches(Capability.CASELOAD_VIEW):
        return None
    result = standings.program_caseload(access=access)
    flagged = result.standings.exclude(status=CaseloadStatus.ON_TRACK)
    return {
        "caseload": result,
        "flagged": result.entries_for(flagged[:limit]),
        "flagged_count": result.total - result.counts[CaseloadStatus.ON_TRACK],
    }


@register.inclusion_tag("coaching/dose/_panel.html", takes_context=True)
def practice_dose_panel(context, practice):
    """The practice page's dose panel (last twelve months). Shows nothing to someone who may
    not see the practice's visits. Four queries."""
    access = context.get("access")
    visible = access is not None and access.can(Capability.VISIT_VIEW, practice.pk)
    return {
        "visible": visible,
        "practice": practice,
        "dose": dose_selectors.practice_dose(practice=practice) if visible else None,
        "current_program": context.get("current_program"),
        "request": context.get("request"),
    }


@register.filter
def duration(minutes) -> str:
    """Minutes as hours and minutes: 45 -> "45 min", 90 -> "1 h 30 min", 120 -> "2 h"."""
    return format_minutes(minutes or 0)


@register.filter
def status_badge_class(status: str) -> str:
    return {
        CaseloadStatus.STALLED: "badge--danger",
        CaseloadStatus.ATTENTION: "badge--warning",
        CaseloadStatus.ON_TRACK: "badge--success",
    }.get(status, "")
