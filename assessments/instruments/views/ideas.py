"""The change library of an instrument: its ideas listed by domain for everyone in the program,
and for admins adding, editing, deactivating and reactivating them. Support plans are drafted
from the active ideas of a practice's weak domains."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from assessments.instruments import change_ideas, selectors
from assessments.instruments.forms import ChangeIdeaForm
from assessments.instruments.models import ChangeIdea, Instrument
from assessments.instruments.views.base import ObjectPageMixin
from psp.tenancy.pages import ServiceFormMixin
from psp.tenancy.permissions import Capability


def domain_choices(instrument: Instrument) -> list[tuple[str, str]]:
    """The newest version's domains first, then any older version's, as (key, name)."""
    names = selectors.domain_names(instrument=instrument)
    current = selectors.current_domain_keys(instrument=instrument)
    older = sorted(set(names) - set(current), key=lambda key: names[key])
    return [(key, names[key]) for key in current] + [
        (key, f"{names[key]} (no longer in the newest version)") for key in older
    ]


class ChangeLibraryView(ObjectPageMixin, TemplateView):
    model = Instrument
    template_name = "assessments/instruments/change_library.html"

    def object_queryset(self):
        return selectors.instrument_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = selectors.change_library(
            instrument=self.object, include_inactive=context["can_manage"]
        )
        context.update(
            instrument=self.object,
            groups=groups,
            idea_total=sum(len(group["ideas"]) for group in groups),
        )
        return context


class ChangeIdeaFormView(ObjectPageMixin, ServiceFormMixin, FormView):
    capability = Capability.INSTRUMENT_MANAGE
    form_class = ChangeIdeaForm
    template_name = "assessments/instruments/change_idea_form.html"

    @property
    def instrument(self) -> Instrument:
        raise NotImplementedError

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": ChangeIdea(),
            "domain_choices": domain_choices(self.instrument),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(instrument=self.instrument, **kwargs)

    def library_url(self, idea=None) -> str:
        url = self.url("ideas", pk=self.instrument.pk)
        return f"{url}#idea-{idea.pk}" if idea else url


class ChangeIdeaCreateView(ChangeIdeaFormView):
    parent_model = Instrument

    @property
    def instrument(self):
        return self.object

    def get_initial(self):
        return {"domain_key": self.request.GET.get("domain", "")}

    def perform(self, data):
        idea = change_ideas.change_idea_create(
            program=self.request.program, instrument=self.object, by=self.request.user, **data
        )
        return "The change idea is added to the library.", self.library_url(idea)


class ChangeIdeaEditView(ChangeIdeaFormView):
    model = ChangeIdea

    def object_queryset(self):
        return selectors.change_idea_for_page()

    @property
    def instrument(self):
        return self.object.instrument

    def get_initial(self):
        return model_to_dict(self.object, fields=change_ideas.CHANGE_IDEA_FIELDS)

    def get_context_data(self, **kwargs):
        return super().get_context_data(idea=self.object, **kwargs)

    def perform(self, data):
        idea = change_ideas.change_idea_update(
            program=self.request.program, idea=self.object, by=self.request.user, data=data
        )
        return "The change idea is saved.", self.library_url(idea)


class ChangeIdeaActiveView(ObjectPageMixin, View):
    """POST `active=0` deactivates an idea (plans are no longer drafted from it), `active=1`
    brings it back. Either way it stays in the library, and plans already using it keep it."""

    model = ChangeIdea
    capability = Capability.INSTRUMENT_MANAGE

    def object_queryset(self):
        return selectors.change_idea_for_page()

    def library_url(self) -> str:
        return self.url("ideas", pk=self.object.instrument_id) + f"#idea-{self.object.pk}"

    def get(self, request, *args, **kwargs):
        return redirect(self.library_url())

    def post(self, request, *args, **kwargs):
        active = request.POST.get("active") == "1"
        try:
            change_ideas.change_idea_set_active(
                program=request.program, idea=self.object, by=request.user, active=active
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            state = "active again" if active else "deactivated: plans are no longer drafted from it"
            messages.success(request, f"“{self.object.goal}” is {state}.")
        return redirect(self.library_url())
