"""The "Draft a CPD claim from this" button's target: POST a goal, PDSA cycle or round, get
the draft's edit page (or the claim already drafted from it)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import View

from cpd.activities import selectors as activities
from cpd.claims import services
from cpd.claims.selectors import SourceOutOfReach
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability


def _back(request) -> str:
    """`next` when it is a page of this program (the page the button was on), else My CPD."""
    home = f"/p/{request.program.slug}/"
    target = request.POST.get("next", "")
    ours = target.startswith(home) and url_has_allowed_host_and_scheme(
        target, allowed_hosts=set(), require_https=False
    )
    if ours and "\\" not in target:
        return target
    return reverse("cpd:mine", kwargs={"program": request.program.slug})


class ClaimDraftView(ProgramPageMixin, View):
    capability = Capability.CPD_RECORD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            activity, drafted = services.claim_draft(
                program=request.program,
                by=request.user,
                source=request.POST.get("source", ""),
                source_id=request.POST.get("source_id", ""),
            )
        except SourceOutOfReach:
            raise Http404("Nothing of that kind you may claim.") from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_back(request))
        if drafted:
            messages.success(
                request,
                f"A CPD claim is drafted: “{activity.title}”. Check the dates, the hours and "
                "your reflection, then confirm it: it counts from then.",
            )
        if activity.status in activities.EDITABLE:
            return redirect("cpd:edit", program=request.program.slug, pk=activity.pk)
        return redirect(activity)
