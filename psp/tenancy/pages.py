"""The base of every page inside a program (/p/<program>/...).

The program middleware has already put the program in scope and answered 404 to anyone without
a role in it; a page then needs its capability somewhere in the program (else 403). Pages about
one object look the object up through a selector of what the person may see (404 when out of
reach) and ask `access.can(capability, practice_id)` for the action (403), never working rules
out from roles themselves.
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.functional import classproperty

from psp.forms import add_service_errors
from psp.pagination import BoundedPaginator, shows_pager
from psp.tenancy.permissions import Capability


class ProgramPageMixin:
    """A page inside a program that needs `capability` somewhere in it (else 403)."""

    capability: Capability | None = None

    def dispatch(self, request, *args, **kwargs):
        self.access = getattr(request, "access", None)
        if self.access is None:  # only reachable outside /p/<program>/, where nothing is ours
            raise Http404("No such program.")
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def check_access(self) -> None:
        if self.capability is not None and not self.access.can(self.capability):
            raise PermissionDenied("Your role does not allow this.")


class PracticePageMixin(ProgramPageMixin):
    """A page about one practice (URL kwarg `practice_kwarg`): 404 unless the person may see the
    practice, 403 unless `capability` reaches it. Sets `self.practice`.

    Pages of several apps hang off a practice (its profile, dose of support, timeline); the
    practices app sits above the core, so the practice is read through the app registry rather
    than by importing it."""

    practice_kwarg = "pk"
    capability = Capability.PRACTICE_VIEW

    @classproperty
    def model(cls):
        return apps.get_model("practices", "Practice")

    def get_practice(self):
        """The practice of the URL among those the person may see (else DoesNotExist)."""
        practices = self.model.objects.filter(self.access.practice_filter(Capability.PRACTICE_VIEW))
        return practices.get(pk=self.kwargs[self.practice_kwarg])

    def check_access(self) -> None:
        try:
            self.practice = self.get_practice()
        except self.model.DoesNotExist:
            raise Http404("No such practice.") from None
        if not self.access.can(self.capability, self.practice.pk):
            raise PermissionDenied("Your role does not allow this for this practice.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practice"] = self.practice
        return context


class ResultsPageMixin:
    """A page whose filters refresh only its results: the same URL answers htmx (not boosted)
    with `results_template` alone and a full page otherwise (and says so in Vary, for caches).
    As a list, it pages without counting the whole program (psp/pagination.py); a page number
    past the end shows the last page (or, above the count's bound, says so) rather than a 404."""

    results_template = ""
    paginator_class = BoundedPaginator

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [self.results_template]
        return super().get_template_names()

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, shows_pager(page)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response


class ObjectLookupMixin:
    """Put before a ProgramPageMixin: a page about one object, `pk` of `model`, or
    `<modelname>_pk` of `parent_model` for a page that adds a child to it. Missing (or another
    program's) answers 404; then the page's capability decides (403). Sets `self.object`."""

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


class ConfirmThenActMixin:
    """A change that asks first: GET shows the page's confirm template with `confirm_text()`,
    POST calls `perform()` (returning the message; a ValidationError is shown instead), and
    both lead back to `back_url()`."""

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(self.back_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.back_url(), **self.confirm_text(), **kwargs)


class MoveRowMixin:
    """Moves a row up or down among its siblings: POST `direction` (read by `move_form`) calls
    `move(direction)`; GET and POST lead back to `back_url()`."""

    move_form = None

    def get(self, request, *args, **kwargs):
        return redirect(self.back_url())

    def post(self, request, *args, **kwargs):
        form = self.move_form(request.POST)
        if form.is_valid():
            try:
                self.move(form.cleaned_data["direction"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, "Choose whether to move it up or down.")
        return redirect(self.back_url())
