"""One version of a template (its sections and items; a draft with its editing controls for
admins), publishing a draft and discarding one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from compliance.checklists import selectors, services
from compliance.checklists.forms import NoteForm, SectionForm
from compliance.checklists.models import ChecklistVersion, VersionStatus
from compliance.checklists.views.base import DraftEditMixin, ObjectPageMixin
from psp.tenancy.pages import ServiceFormMixin


class VersionView(ObjectPageMixin, TemplateView):
    model = ChecklistVersion
    template_name = "compliance/checklists/version.html"

    def object_queryset(self):
        return selectors.version_for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = selectors.structure(self.object.pk)
        building = context["can_define"] and version.status == VersionStatus.DRAFT
        context.update(
            version=version,
            template=version.template,
            building=building,
            problems=services.version_problems(version) if building else [],
            section_form=SectionForm(auto_id="id_new_section_%s") if building else None,
        )
        return context


class PublishView(DraftEditMixin, ServiceFormMixin, FormView):
    model = ChecklistVersion
    template_name = "compliance/checklists/version_action.html"
    form_class = NoteForm

    def object_queryset(self):
        return selectors.version_for_page()

    def version_of(self, obj):
        return obj

    def get_initial(self):
        return {"change_note": self.object.change_note}

    def get_context_data(self, **kwargs):
        problems = services.version_problems(self.object)
        return super().get_context_data(
            title=f"Publish version {self.object.number} of “{self.object.template.name}”",
            explanation="Checklists made from now on use this version; those made already keep "
            "the version they were made from. A published version cannot change.",
            problems=problems,
            confirm_label="Publish",
            cancel_url=self.version_url(),
            **kwargs,
        )

    def perform(self, data):
        version = services.version_publish(
            program=self.request.program,
            version=self.object,
            by=self.request.user,
            change_note=data["change_note"],
        )
        return (
            f"Version {version.number} is published: new checklists are made from it.",
            self.url("detail", pk=version.template_id),
        )


class DiscardView(DraftEditMixin, TemplateView):
    model = ChecklistVersion
    template_name = "compliance/checklists/confirm.html"

    def object_queryset(self):
        return selectors.version_for_page()

    def version_of(self, obj):
        return obj

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Discard draft version {self.object.number}",
            question="Throw this draft away, with every change made in it?",
            confirm_label="Discard the draft",
            cancel_url=self.version_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.version_discard(program=request.program, version=self.object, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.version_url())
        messages.success(request, f"Draft version {self.object.number} is discarded.")
        return redirect(self.url("detail", pk=self.object.template_id))
