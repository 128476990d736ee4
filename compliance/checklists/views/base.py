"""What every template page shares: the access rule, fetching the object a URL names, the
draft-only guard of the drafting pages, and forms whose changes go through a service.

Access: whoever has compliance.view reads templates (they are the program's); only program
admins (compliance.define) change anything, others get 403. The object a URL names is fetched
through the program scope, so another program's object is a 404, like one that does not exist.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from compliance.checklists.models import VersionStatus
from psp.tenancy.pages import ObjectLookupMixin, ProgramPageMixin
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


class ObjectPageMixin(ObjectLookupMixin, TemplatesPageMixin):
    """A page about one object of this area (psp.tenancy.pages.ObjectLookupMixin)."""


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
