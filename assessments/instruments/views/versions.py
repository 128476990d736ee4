"""A version's pages: the version in full (the builder, for an admin, when it is a draft) and the
confirmed actions on a whole version: publish, discard a draft, start a new draft from it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from assessments.instruments import selectors, services
from assessments.instruments.forms import ChangeNoteForm
from assessments.instruments.models import InstrumentVersion, VersionStatus
from assessments.instruments.views.base import DraftEditMixin, ObjectPageMixin
from psp.tenancy.pages import ServiceFormMixin
from psp.tenancy.permissions import Capability


class VersionDetailView(ObjectPageMixin, TemplateView):
    """One version in full. A draft, for an admin, is the builder: every domain, question and
    option with its edit, delete and move controls, and the checks publishing will make."""

    model = InstrumentVersion
    template_name = "assessments/instruments/version.html"

    def object_queryset(self):
        return selectors.version_with_structure()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = selectors.decorate_structure(self.object)
        building = context["can_manage"] and not version.is_frozen
        context.update(
            version=version,
            instrument=version.instrument,
            building=building,
            counts=selectors.structure_counts(version),
            problems=services.version_problems(version=version) if building else [],
        )
        return context


class VersionActionView(DraftEditMixin, ServiceFormMixin, FormView):
    """A confirmed action on a whole version (GET shows the question, POST does it)."""

    model = InstrumentVersion
    form_class = ChangeNoteForm
    template_name = "assessments/instruments/version_action.html"

    def version_of(self, obj):
        return obj

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action_text(), **kwargs)

    def action_text(self) -> dict:
        raise NotImplementedError


class VersionPublishView(VersionActionView):
    def get_initial(self):
        return {"change_note": self.version.change_note}

    def get_context_data(self, **kwargs):
        problems = services.version_problems(version=self.version)
        return super().get_context_data(problems=problems, **kwargs)

    def action_text(self):
        return {
            "title": f"Publish version {self.version.number}",
            "question": "Publishing freezes this version: new assessments use it from now on, "
            "and it can no longer change. "
            + (
                "The version published now is retired; assessments already made keep the "
                "version they answered."
                if self.version.number > 1
                else ""
            ),
            "button": "Publish",
        }

    def perform(self, data):
        version = services.version_publish(
            program=self.request.program,
            version=self.version,
            by=self.request.user,
            change_note=data["change_note"],
        )
        return (
            f"Version {version.number} of “{version.instrument}” is published.",
            self.url("detail", pk=version.instrument_id),
        )


class VersionDiscardView(VersionActionView):
    form_class = ChangeNoteForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        del form.fields["change_note"]
        return form

    def action_text(self):
        return {
            "title": f"Discard draft version {self.version.number}",
            "question": "Throw away this draft and everything added to it? The published "
            "version stays as it is.",
            "button": "Discard draft",
            "danger": True,
        }

    def perform(self, data):
        services.version_discard(
            program=self.request.program, version=self.version, by=self.request.user
        )
        return (
            f"Draft version {self.version.number} is discarded.",
            self.url("detail", pk=self.version.instrument_id),
        )


class VersionNewDraftView(ObjectPageMixin, ServiceFormMixin, FormView):
    """Start the next version from this one: the way to edit a published instrument."""

    model = InstrumentVersion
    capability = Capability.INSTRUMENT_MANAGE
    form_class = ChangeNoteForm
    template_name = "assessments/instruments/version_action.html"

    def object_queryset(self):
        return InstrumentVersion.objects.select_related("instrument")

    def get(self, request, *args, **kwargs):
        draft = self.existing_draft()
        if draft is not None:
            messages.info(request, f"Version {draft.number} is already a draft: edit it here.")
            return redirect(self.url("version", pk=draft.pk))
        return super().get(request, *args, **kwargs)

    def existing_draft(self):
        return InstrumentVersion.objects.filter(
            instrument_id=self.object.instrument_id, status=VersionStatus.DRAFT
        ).first()

    def get_context_data(self, **kwargs):
        version = self.object
        return super().get_context_data(
            version=version,
            instrument=version.instrument,
            action={
                "title": f"Start a new version from version {version.number}",
                "question": "The new draft starts as a copy of this version's domains, "
                "questions and options. Change it as you need, then publish it; until then "
                "assessments keep using the published version.",
                "button": "Start new version",
            },
            **kwargs,
        )

    def perform(self, data):
        draft = services.version_new_draft_from(
            program=self.request.program,
            version=self.object,
            by=self.request.user,
            change_note=data["change_note"],
        )
        return f"Draft version {draft.number} is ready to edit.", self.url("version", pk=draft.pk)
