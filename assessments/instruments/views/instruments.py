"""Instrument pages: the list, loading a pack, an instrument and its version history, its
settings, and a version's page (the draft builder when it is a draft) with publish, new draft
and discard.

Access: everyone in the program may look (INSTRUMENT_VIEW); only program admins change anything
(INSTRUMENT_MANAGE), others get 403. The object a URL names is fetched through the program scope,
so another program's object is a 404, like one that does not exist. The builder pages for
domains, questions and options are in views_instruments_builder.py; the change library in
views_instruments_ideas.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from assessments import selectors_instruments as selectors
from assessments import services_instruments as services
from assessments.forms_instruments import (
    ChangeNoteForm,
    InstrumentCreateForm,
    InstrumentForm,
    PackLoadForm,
)
from assessments.models import Instrument, InstrumentVersion, VersionStatus
from assessments.packs import available_packs
from practices.forms import add_service_errors
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability


def instruments_url(name: str, program, **kwargs) -> str:
    return reverse(f"instruments:{name}", kwargs={"program": program.slug, **kwargs})


# Mixins ---------------------------------------------------------------------------------------


class InstrumentPageMixin(ProgramPageMixin):
    """A page of the instrument area: INSTRUMENT_VIEW to see it, else 403."""

    capability = Capability.INSTRUMENT_VIEW

    def url(self, name: str, **kwargs) -> str:
        return instruments_url(name, self.request.program, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.access.can(Capability.INSTRUMENT_MANAGE)
        return context


class ObjectPageMixin(InstrumentPageMixin):
    """A page about one object: `pk` of `model`, or `<modelname>_pk` of `parent_model` for a
    page that adds a child to it. Missing (or another program's) answers 404; then `capability`
    decides (403). Sets `self.object`."""

    model = None
    parent_model = None

    def object_queryset(self):
        """The queryset the object is fetched from; override to join what the page shows."""
        return self.named_model().objects.all()

    def named_model(self):
        return self.model if "pk" in self.kwargs else self.parent_model

    def check_access(self) -> None:
        model = self.named_model()
        kwarg = "pk" if "pk" in self.kwargs else f"{model._meta.model_name}_pk"
        try:
            self.object = self.object_queryset().get(pk=self.kwargs[kwarg])
        except model.DoesNotExist:
            raise Http404(f"No such {model._meta.verbose_name}.") from None
        super().check_access()


class FrozenVersion(Exception):
    pass


class DraftEditMixin(ObjectPageMixin):
    """A change to a draft version's structure, for admins. On a published or retired version
    it changes nothing and returns to the version's page, which offers a new draft instead."""

    capability = Capability.INSTRUMENT_MANAGE

    def version_of(self, obj) -> InstrumentVersion:
        return obj.version

    def check_access(self) -> None:
        super().check_access()
        self.version = self.version_of(self.object)
        if self.version.is_frozen:
            raise FrozenVersion

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except FrozenVersion:
            messages.info(
                request,
                f"Version {self.version.number} is {self.version.get_status_display().lower()} "
                "and cannot change. Start a new version to edit the instrument.",
            )
            return redirect(self.url("version", pk=self.version.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(version=self.version, instrument=self.version.instrument)
        return context


class ServiceFormMixin:
    """form_valid calls `perform(data)` (a service); its ValidationError shows on the form."""

    def form_valid(self, form):
        try:
            message, url = self.perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(url)

    def perform(self, data) -> tuple[str, str]:
        """Do the change through a service; return (message, where to go next)."""
        raise NotImplementedError


# Instruments ----------------------------------------------------------------------------------


class InstrumentListView(InstrumentPageMixin, TemplateView):
    template_name = "assessments/instruments/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["instruments"] = list(selectors.instrument_list())
        return context


class PackListView(InstrumentPageMixin, ServiceFormMixin, FormView):
    """The packs we ship, with what each holds; choosing one loads it into the program."""

    capability = Capability.INSTRUMENT_MANAGE
    template_name = "assessments/instruments/packs.html"
    form_class = PackLoadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        loaded = selectors.loaded_pack_keys()
        context["packs"] = [(pack, pack.key in loaded) for pack in available_packs()]
        return context

    def perform(self, data):
        instrument = services.pack_load(
            program=self.request.program, pack_key=data["pack"], by=self.request.user
        )
        return (
            f"“{instrument.name}” is loaded and published, with its change library.",
            self.url("detail", pk=instrument.pk),
        )


class InstrumentCreateView(InstrumentPageMixin, ServiceFormMixin, FormView):
    """A new instrument built from scratch: it starts as an empty draft."""

    capability = Capability.INSTRUMENT_MANAGE
    template_name = "assessments/instruments/instrument_form.html"
    form_class = InstrumentCreateForm

    def perform(self, data):
        instrument = services.instrument_create(
            program=self.request.program, by=self.request.user, **data
        )
        draft = instrument.versions.get()
        return (
            f"“{instrument.name}” is created. Add its domains and questions, then publish it.",
            self.url("version", pk=draft.pk),
        )


class InstrumentDetailView(ObjectPageMixin, TemplateView):
    """The published version in full, the version history, and the way to the change library."""

    model = Instrument
    template_name = "assessments/instruments/detail.html"

    def object_queryset(self):
        return selectors.instrument_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument = self.object
        published = selectors.published_version(instrument=instrument)
        context.update(
            instrument=instrument,
            published=published,
            counts=selectors.structure_counts(published) if published else None,
            idea_counts=selectors.change_idea_counts(instrument=instrument),
        )
        return context


class InstrumentSettingsView(ObjectPageMixin, ServiceFormMixin, FormView):
    model = Instrument
    capability = Capability.INSTRUMENT_MANAGE
    template_name = "assessments/instruments/instrument_form.html"
    form_class = InstrumentForm

    def get_initial(self):
        return model_to_dict(self.object, fields=services.INSTRUMENT_FIELDS)

    def get_context_data(self, **kwargs):
        return super().get_context_data(instrument=self.object, **kwargs)

    def perform(self, data):
        instrument = services.instrument_update(
            program=self.request.program, instrument=self.object, by=self.request.user, data=data
        )
        return f"The settings of “{instrument.name}” are saved.", self.url(
            "detail", pk=instrument.pk
        )


# Versions -------------------------------------------------------------------------------------


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
