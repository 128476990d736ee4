"""The program settings page (/p/<program>/settings/), for the program's admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect
from django.views.generic import FormView

from psp.forms import add_service_errors
from psp.tenancy.forms import ProgramSettingsForm
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability
from psp.tenancy.services import SETTINGS_FIELDS, program_settings_update


class ProgramSettingsView(ProgramPageMixin, FormView):
    capability = Capability.PROGRAM_SETTINGS
    form_class = ProgramSettingsForm
    template_name = "tenancy/settings.html"

    def get_initial(self):
        return model_to_dict(self.request.program, fields=SETTINGS_FIELDS)

    def get_context_data(self, **kwargs):
        # The clock as the program sees it, so an admin can tell the time zone is the right one.
        return super().get_context_data(
            local_time=self.request.program.local_now().strftime("%H:%M"), **kwargs
        )

    def form_valid(self, form):
        try:
            program_settings_update(
                program=self.request.program, by=self.request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The program's settings are saved.")
        return redirect("program_settings:edit", program=self.request.program.slug)
