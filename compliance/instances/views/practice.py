"""A practice's checklists: open ones soonest due first, then the signed-off ones with who
signed and when, then the revisions corrected since."""

from django.views.generic import TemplateView

from compliance.instances import selectors
from psp.tenancy.pages import PracticePageMixin
from psp.tenancy.permissions import Capability


class PracticeChecklistsView(PracticePageMixin, TemplateView):
    template_name = "compliance/practice_checklists.html"
    practice_kwarg = "practice_pk"
    capability = Capability.COMPLIANCE_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lists = selectors.practice_checklists(access=self.access, practice_id=self.practice.pk)
        today = self.request.program.local_today()
        for checklist in lists["open"]:
            checklist.days_overdue = max(0, (today - checklist.due_on).days)
            checklist.days_left = max(0, (checklist.due_on - today).days)
        context.update(lists, today=today)
        return context
