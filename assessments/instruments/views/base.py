"""What every instrument page shares: the access rule, fetching the object a URL names, the
draft-only guard of the builder pages, and forms whose changes go through a service.

Access: everyone in the program may look (INSTRUMENT_VIEW); only program admins change anything
(INSTRUMENT_MANAGE), others get 403. The object a URL names is fetched through the program scope,
so another program's object is a 404, like one that does not exist.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from assessments.instruments.models import InstrumentVersion
from psp.tenancy.pages import ObjectLookupMixin, ProgramPageMixin
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


class ObjectPageMixin(ObjectLookupMixin, InstrumentPageMixin):
    """A page about one object of this area (psp.tenancy.pages.ObjectLookupMixin)."""


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
