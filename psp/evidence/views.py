"""Evidence pages under /p/<program>/evidence/: a file's download, and the upload and remove
forms of the evidence panel (panel.py) that subjects' pages include.

Who may do what is the subject kind's answer (registry.py). A file or subject the person may not
read is 404, the same as another program's; one they read but may not change is 403. Uploads
and removals answer htmx with the refreshed panel, and a plain post by going back to the page
(`next`), or, when an upload is refused, with a page showing the form and its problems.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from psp.evidence import registry, selectors, services
from psp.evidence.models import EvidenceFile
from psp.evidence.panel import evidence_panel, upload_form
from psp.forms import add_service_errors
from psp.numbers import parse_id
from psp.storage import file_exists, file_response
from psp.tenancy.pages import ProgramPageMixin


def back_url(request) -> str:
    """`next` when it is a page of this program, else the program's home page."""
    home = f"/p/{request.program.slug}/"
    target = request.POST.get("next", "")
    ours = target.startswith(home) and url_has_allowed_host_and_scheme(
        target, allowed_hosts=set(), require_https=False
    )
    return target if ours and "\\" not in target else home


def _panel_response(request, panel):
    response = TemplateResponse(request, "evidence/_panel_body.html", {"evidence": panel})
    patch_vary_headers(response, ("HX-Request",))
    return response


class EvidenceFileMixin(ProgramPageMixin):
    """A page about one file (`pk`): 404 unless the person may read it."""

    model = EvidenceFile

    def check_access(self) -> None:
        try:
            self.evidence, self.rights = selectors.access_evidence(
                access=self.access, pk=self.kwargs["pk"]
            )
        except EvidenceFile.DoesNotExist:
            raise Http404("No such file.") from None


class EvidenceDownloadView(EvidenceFileMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        evidence = self.evidence
        if not file_exists(evidence.file):
            raise Http404("This file is no longer kept.")
        return file_response(
            evidence.file,
            content_type=evidence.content_type,
            filename=evidence.original_name,
            size=evidence.size,
        )


class EvidenceRemoveView(EvidenceFileMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        evidence = self.evidence
        if not self.rights.remove:
            raise PermissionDenied("You may not remove this file.")
        notice = f"Removed {evidence.original_name}."
        try:
            services.evidence_remove(program=request.program, by=request.user, evidence=evidence)
        except ValidationError as error:  # removed meanwhile, by someone else
            notice = " ".join(error.messages)
        if not request.htmx:
            messages.success(request, notice)
            return redirect(back_url(request))
        panel = evidence_panel(
            access=self.access,
            subject_type=evidence.subject_type,
            subject_id=evidence.subject_id,
            next_url=back_url(request),
            notice=notice,
        )
        return _panel_response(request, panel)


class EvidenceUploadView(ProgramPageMixin, View):
    """POST subject_type, subject_id, files, label (and next): the files attached, all or none."""

    http_method_names = ["post"]

    def check_access(self) -> None:
        if self.request.method != "POST":
            return  # answered 405 by the view, whatever the subject
        subject_type = self.request.POST.get("subject_type", "")
        subject_id = parse_id(self.request.POST.get("subject_id", ""))
        try:
            self.kind = registry.subject_kind(subject_type)
        except KeyError:
            raise Http404("Nothing of this kind takes evidence.") from None
        self.rights = (
            registry.NO_RIGHTS if subject_id is None else self.kind.rights(self.access, subject_id)
        )
        if not self.rights.read:
            raise Http404("No such subject.")
        if not self.rights.attach:
            raise PermissionDenied("You may not add evidence here.")
        self.subject_id = subject_id

    def post(self, request, *args, **kwargs):
        attached = selectors.files_of(subject_type=self.kind.code, subject_id=self.subject_id)
        form = upload_form(
            self.kind,
            self.subject_id,
            attached=attached.count(),
            data=request.POST,
            files=request.FILES,
        )
        rows = None
        if form.is_valid():
            try:
                with transaction.atomic():
                    rows = services.evidence_attach_many(
                        program=request.program,
                        by=request.user,
                        subject_type=self.kind.code,
                        subject_id=self.subject_id,
                        practice_id=self.rights.practice_id,
                        uploads=form.cleaned_data["files"],
                        label=form.cleaned_data["label"],
                    )
            except ValidationError as error:
                add_service_errors(form, error)
        notice, complete = _notice(services.outcome(rows)) if rows is not None else ("", True)
        if not request.htmx and rows is not None:
            (messages.success if complete else messages.error)(request, notice)
            return redirect(back_url(request))
        panel = evidence_panel(
            access=self.access,
            subject_type=self.kind.code,
            subject_id=self.subject_id,
            next_url=back_url(request),
            form=form if rows is None else None,
            notice=notice,
        )
        if request.htmx:
            return _panel_response(request, panel)
        return TemplateResponse(request, "evidence/upload_page.html", {"evidence": panel})


def _notice(outcome) -> tuple[str, bool]:
    """What the person reads after an upload, and whether every file was stored."""
    parts = []
    if outcome.attached:
        names = ", ".join(row.original_name for row in outcome.attached)
        parts.append(f"Added {names}.")
    if outcome.failed:
        names = ", ".join(row.original_name for row in outcome.failed)
        parts.append(f"{names} could not be saved: please try again.")
    return " ".join(parts), not outcome.failed
