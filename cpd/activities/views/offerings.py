"""Program activities (offerings), for the program's admins (cpd.define): the list, a new one,
one with its attendees and their drafts, and adding attendees."""

from django.http import Http404
from django.views.generic import FormView, ListView, TemplateView

from cpd.activities import selectors, services
from cpd.activities.forms import AttendeesForm, OfferingForm
from cpd.activities.models import CpdOffering
from cpd.activities.views.common import DEFINE, CpdPageMixin, ServiceFormMixin
from psp.pagination import BoundedPaginator


class OfferingListView(CpdPageMixin, ListView):
    capability = DEFINE
    template_name = "cpd/offering_list.html"
    context_object_name = "offerings"
    paginate_by = 25
    paginator_class = BoundedPaginator  # counts at most a bound, as the other lists

    def get_queryset(self):
        return selectors.offering_list()


class OfferingCreateView(ServiceFormMixin, CpdPageMixin, FormView):
    capability = DEFINE
    form_class = OfferingForm
    template_name = "cpd/offering_form.html"
    success_message = "The program activity is created: now add who attended."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "categories": selectors.scheme_categories()}

    def perform(self, form):
        return services.offering_create(
            program=self.request.program, by=self.request.user, data=form.cleaned_data
        )


class OfferingPageMixin(CpdPageMixin):
    model = CpdOffering
    capability = DEFINE

    def check_access(self) -> None:
        super().check_access()
        try:
            self.offering = selectors.offering_list().get(pk=self.kwargs["pk"])
        except CpdOffering.DoesNotExist:
            raise Http404("No such program activity.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offering"] = self.offering
        context["attendees"] = self.attendees()
        return context

    def attendees(self):
        if not hasattr(self, "_attendees"):
            self._attendees = selectors.offering_attendees(offering=self.offering)
        return self._attendees


class OfferingDetailView(OfferingPageMixin, TemplateView):
    template_name = "cpd/offering_detail.html"


class OfferingAttendeesView(ServiceFormMixin, OfferingPageMixin, FormView):
    form_class = AttendeesForm
    template_name = "cpd/offering_attendees.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "members": selectors.program_people(),
            "already": [a.person_id for a in self.attendees()],
        }

    def perform(self, form):
        self.added = services.offering_add_attendees(
            program=self.request.program,
            offering=self.offering,
            by=self.request.user,
            people=form.cleaned_data["people"],
        )
        return self.offering

    def get_success_message(self, offering) -> str:
        count = len(self.added)
        if not count:
            return "Everyone chosen was already an attendee: nothing new was drafted."
        return f"{count} attendee{'s' if count != 1 else ''} added, each with a draft to confirm."
