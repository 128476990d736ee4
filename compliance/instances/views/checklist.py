"""One checklist's page (items by section, answers, evidence, sign-off) and its history."""

from django.views.generic import TemplateView

from compliance.instances.views.common import ChecklistPageMixin, checklist_context
from psp.history.models import SubjectType
from psp.history.views import HistoryPageMixin


class ChecklistView(ChecklistPageMixin, TemplateView):
    template_name = "compliance/checklist.html"

    def get_context_data(self, bound=None, **kwargs):
        return super().get_context_data(**kwargs) | checklist_context(self, bound=bound)


class ChecklistHistoryView(HistoryPageMixin, ChecklistPageMixin, TemplateView):
    """Who answered, attached, signed and corrected what, and when, newest first."""

    template_name = "compliance/checklist_history.html"
    history_subject_type = SubjectType.CHECKLIST

    def history_subject_id(self) -> int:
        return self.checklist.pk

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(checklist=self.checklist, practice=self.checklist.practice)
        return context
