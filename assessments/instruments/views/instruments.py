"""Instrument pages: the list, loading a pack, creating an instrument, an instrument with its
version history, and its settings. A version's page (the builder of a draft) is in versions.py,
the builder's own pages in builder.py, the change library in ideas.py."""

from django.forms.models import model_to_dict
from django.views.generic import FormView, TemplateView

from assessments.instruments import selectors, services
from assessments.instruments.forms import InstrumentCreateForm, InstrumentForm, PackLoadForm
from assessments.instruments.models import Instrument
from assessments.instruments.packs import available_packs
from assessments.instruments.packs.services import pack_load
from assessments.instruments.views.base import (
    InstrumentPageMixin,
    ObjectPageMixin,
)
from psp.tenancy.pages import ServiceFormMixin
from psp.tenancy.permissions import Capability


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
        instrument = pack_load(
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
