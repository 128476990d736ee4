"""The CPD claim button other apps' pages show on QI work (goals, PDSA cycles, assessment
rounds), and the work still to claim on My CPD:

- `{% include "cpd/claims/_from.html" with claim_kind="goal" claim_subject=goal %}` on a goal,
  "pdsa" with a cycle, "audit" with a round: "Draft a CPD claim from this" for someone who may
  claim it, "CPD claim drafted — open it" once they have; nothing for anyone else. The pages
  belong to apps that never import cpd; the lookups are made once per request
  (cpd.claims.selectors.button_state);
- `{% claimable_work as work %}`: what the person may claim and has not yet.
"""

from django import template

from cpd.claims import selectors

register = template.Library()


@register.inclusion_tag("cpd/claims/_button.html", takes_context=True)
def cpd_claim_button(context, kind, subject):
    access = context.get("access")
    state = selectors.button_state(access=access, kind=kind, subject=subject)
    return {
        "claim": state,
        "label": str(subject) if state else "",
        "current_program": context.get("current_program"),
        "csrf_token": context.get("csrf_token"),
        "next": context["request"].get_full_path() if "request" in context else "",
    }


@register.simple_tag(takes_context=True)
def claimable_work(context):
    access = context.get("access")
    if access is None:
        return []
    return [work for work in selectors.claim_sources_for(access=access) if not work.activity_id]
