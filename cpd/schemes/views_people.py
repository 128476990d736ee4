"""Who a scheme applies to, and the program's verifiers (program admins), under
/p/<program>/cpd/schemes/."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, View

from cpd.schemes import selectors, services
from cpd.schemes.forms import AppliesToForm, VerifierForm
from cpd.schemes.models import CpdVerifier
from cpd.schemes.views import OneSchemeMixin, SchemePageMixin
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.selectors import history_of

RECENT_CHANGES = 10


class AppliesToView(OneSchemeMixin, FormView):
    """Roles, sectors and people chosen by hand."""

    template_name = "cpd/schemes/applies_to.html"
    form_class = AppliesToForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"memberships": list(selectors.people_to_choose())}

    def get_initial(self):
        return {
            "roles": self.object.applies_to_roles,
            "sectors": self.object.applies_to_sectors,
            "people": [str(user.pk) for user in selectors.chosen_people(scheme=self.object)],
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.scheme_set_applies_to(
                program=self.request.program,
                scheme=self.object,
                by=self.request.user,
                roles=data["roles"],
                sectors=data["sectors"],
                people=data["people"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Who “{self.object.name}” applies to is saved.")
        return redirect(self.url("detail", pk=self.object.pk))


class VerifiersView(SchemePageMixin, FormView):
    """The people an admin named to verify CPD activities, and naming another."""

    template_name = "cpd/schemes/verifiers.html"
    form_class = VerifierForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"memberships": list(selectors.verifier_candidates())}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            verifiers=list(selectors.verifier_list()),
            changes=list(
                history_of(subject_type=SubjectType.CPD_SCHEME, subject_id=services.SETUP_SUBJECT)[
                    :RECENT_CHANGES
                ]
            ),
            **kwargs,
        )

    def form_valid(self, form):
        user = form.cleaned_data["user"]
        try:
            services.verifier_name(program=self.request.program, user=user, by=self.request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{user} can now verify CPD activities.")
        return redirect(self.url("verifiers"))


class VerifierRemoveView(SchemePageMixin, View):
    """POST only: the verifier (`pk`) no longer verifies."""

    model = CpdVerifier
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        verifier = selectors.verifier_list().filter(pk=kwargs["pk"]).first()
        if verifier is None:
            raise Http404("No such verifier.")
        services.verifier_remove(program=request.program, verifier=verifier, by=request.user)
        messages.success(request, f"{verifier.user} no longer verifies CPD activities.")
        return redirect(self.url("verifiers"))
