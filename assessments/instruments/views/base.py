"""What every instrument page shares: the access rule, fetching the object a URL names, the
draft-only guard of the builder pages, and forms whose changes go through a service.

Access: everyone in the program may look (INSTRUMENT_VIEW); only program admins change anything
(INSTRUMENT_MANAGE), others get 403. The object a URL names is fetched through the program scope,
so another program's object is a 404, like one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from assessments.instruments.models import InstrumentVersion
from psp.forms import add_service_errors
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability


def instruments_url(name: str, program, **kwargs) -> str:
    return reverse(f"instruments:{name}", kwargs={"program": program.slug, **kwargs})


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
