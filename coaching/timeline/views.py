"""A practice's timeline: visits, stage changes, assessments, plans and actions, newest first,
grouped by month, filtered by kind and period, with "Show older" paging.

Anyone who sees the practice sees its timeline; each kind of entry shows only to those who may
see it (visits, assessments, plans), so a practice's staff and a manager see different lines.
"""

from django.views.generic import TemplateView

from coaching.timeline import selectors
from coaching.timeline.forms import TimelineFilterForm
from psp.tenancy.pages import PracticePageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability


class PracticeTimelineView(ResultsPageMixin, PracticePageMixin, TemplateView):
    capability = Capability.PRACTICE_VIEW
    practice_kwarg = "practice_pk"
    template_name = "coaching/timeline/timeline.html"
    results_template = "coaching/timeline/_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = selectors.visible_kinds(access=self.access, practice=self.practice)
        data = None
        if self.request.GET:
            data = self.request.GET.copy()
            # Kinds the person may not see are dropped; none chosen means every kind, ticked.
            kinds = [kind for kind in data.getlist("kinds") if kind in visible]
            data.setlist("kinds", kinds or visible)
        form = TimelineFilterForm(data, visible=visible)
        filters = form.filters()
        timeline = selectors.practice_timeline(
            access=self.access,
            practice=self.practice,
            before=self.request.GET.get("before"),
            **filters,
        )
        context.update(
            filter_form=form,
            timeline=timeline,
            is_filtered=bool(filters["date_from"] or filters["date_to"])
            or set(timeline.selected_kinds) != set(visible),
            is_older=bool(self.request.GET.get("before")),
        )
        return context
