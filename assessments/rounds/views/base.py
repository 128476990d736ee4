"""What every round page shares: the access rule (AssessmentPageMixin) and domain scores as
rows of the results chart.

The access rule is the practices app's: an assessment of a practice the person may not see
answers 404 (the same as one that does not exist); an action they may see but not take answers
403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.rounds import selectors
from assessments.rounds.models import Assessment
from psp.charts import score_rows as chart_rows  # noqa: F401  (the views' name for it)
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability


class AssessmentPageMixin(ProgramPageMixin):
    """A page about one assessment (URL kwarg `pk`): 404 unless the person may see it, 403
    unless `capability` reaches its practice. Sets `self.assessment`."""

    model = Assessment
    capability = Capability.ASSESSMENT_VIEW

    def check_access(self) -> None:
        try:
            self.assessment = selectors.assessment_for_page(
                access=self.access, pk=self.kwargs["pk"]
            )
        except Assessment.DoesNotExist:
            raise Http404("No such assessment.") from None
        if not self.access.can(self.capability, self.assessment.practice_id):
            raise PermissionDenied("Your role does not allow this for this practice.")

    def can(self) -> dict[str, bool]:
        practice_id, is_open = self.assessment.practice_id, self.assessment.status == "open"
        return {
            "answer": is_open and self.access.can(Capability.ASSESSMENT_ANSWER, practice_id),
            "facilitate": is_open
            and self.access.can(Capability.ASSESSMENT_FACILITATE, practice_id),
            "open": self.access.can(Capability.ASSESSMENT_OPEN, practice_id),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            assessment=self.assessment,
            practice=self.assessment.practice,
            instrument=self.assessment.version.instrument,
            can=self.can(),
        )
        return context
