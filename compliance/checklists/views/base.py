"""What every template page shares: the access rule, fetching the object a URL names, the
draft-only guard of the drafting pages, and forms whose changes go through a service.

Access: whoever has compliance.view reads templates (they are the program's); only program
admins (compliance.define) change anything, others get 403. The object a URL names is fetched
through the program scope, so another program's object is a 404, like one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from compliance.checklists.models import VersionStatus
from psp.forms import add_service_errors
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

DEFINE, VIEW = Capability.COMPLIANCE_DEFINE, Capability.COMPLIANCE_VIEW


def templates_url(name: str, program, **kwargs) -> str:
    return reverse(f"compliance_templates:{name}", kwargs={"program": program.slug, **kwargs})


class TemplatesPageMixin(ProgramPageMixin):
    capability = VIEW

    def url(self, name: str, **kwargs) -> str:
        return templates_url(name, self.request.program, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_define"] = self.access.can(DEFINE)
        return context


class ObjectPageMixin(TemplatesPageMixin):
    """A page about one object: `pk` of `model`, or `<modelname>_pk` of `parent_model` for a
    page that adds a child to it. Missing (or another program's) answers 404; then `capability`
    decides (403). Sets `self.object`."""

    model = None
    parent_model = None

    def object_queryset(self):
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


class PublishedVersion(Exception):
    pass


class DraftEditMixin(ObjectPageMixin):
    """A change to a draft version, for admins. On a published version it changes nothing and
    returns to the version's page, which offers a new version instead."""

    capability = DEFINE

    def version_of(self, obj):
        return obj.version

    def check_access(self) -> None:
        super().check_access()
        self.version = self.version_of(self.object)
        if self.version.status != VersionStatus.DRAFT:
            raise PublishedVersion

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PublishedVersion:
            messages.info(
                request,
                f"Version {self.version.number} is published and cannot change. Start a new "
                "version to change the template.",
            )
            return redirect(self.url("version", pk=self.version.pk))

    def version_url(self, anchor: str = "") -> str:
        url = self.url("version", pk=self.version.pk)
        return f"{url}#{anchor}" if anchor else url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(version=self.version, template=self.version.template)
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
        raise NotImplementedError
