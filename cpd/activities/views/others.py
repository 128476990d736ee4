"""Other people's CPD: the verifier's queue (admins and named verifiers), and, for those who may
read others' CPD (cpd.view: admins and managers program-wide, a lead their practice's people),
the people list and a person's activities, read only."""

from django.http import Http404
from django.views.generic import ListView, TemplateView

from cpd.activities import selectors
from cpd.activities.evidence import CODE
from cpd.activities.filters import CpdActivityFilter
from cpd.activities.forms import EvidenceRequestForm, RejectForm
from cpd.activities.models import ActivityStatus
from cpd.activities.views.common import VIEW, CpdPageMixin, VerifierPageMixin
from cpd.activities.views.mine import activity_list_context
from cpd.progress.views import shown_progress
from psp.evidence.selectors import files_of_subjects
from psp.pagination import BoundedPaginator
from psp.tenancy.models import ProgramMembership
from psp.tenancy.pages import ResultsPageMixin

QUEUE_PAGE_SIZE = 25


class QueueView(ResultsPageMixin, VerifierPageMixin, ListView):
    """Submitted activities, oldest first; the filters choose practice, sector, type, person
    and other statuses (what was verified or rejected). Each waiting row carries its decision
    forms. A fixed number of queries, whatever the rows."""

    template_name = "cpd/queue.html"
    results_template = "cpd/_queue_results.html"
    context_object_name = "activities"
    paginate_by = QUEUE_PAGE_SIZE

    def get_queryset(self):
        self.filters = CpdActivityFilter.for_page(
            self.request,
            selectors.verification_queue(access=self.access),
            defaults={"status": ActivityStatus.SUBMITTED},
        )
        return self.filters.filtered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["activities"]
        files = files_of_subjects(subject_type=CODE, subject_ids=[a.pk for a in rows])
        for activity in rows:
            activity.evidence_files = files.get(activity.pk, [])
            if activity.status == ActivityStatus.SUBMITTED:
                prefix = f"a{activity.pk}"
                activity.reject_form = RejectForm(auto_id=f"id_{prefix}_reject_%s")
                activity.evidence_form = EvidenceRequestForm(auto_id=f"id_{prefix}_evidence_%s")
        context.update(filters=self.filters, is_filtered=self.filters.is_filtered)
        return context


class PeopleView(CpdPageMixin, ListView):
    """The people whose CPD the person may read, with their activities by status."""

    capability = VIEW
    template_name = "cpd/people.html"
    context_object_name = "memberships"
    paginate_by = 50
    paginator_class = BoundedPaginator  # counts at most a bound, as the other lists

    def get_queryset(self):
        return selectors.memberships_in_view(access=self.access)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["memberships"]
        counts = selectors.status_counts(person_ids=[m.user_id for m in rows])
        for membership in rows:
            membership.cpd_counts = counts.get(membership.user_id, {})
        return context


class PersonView(CpdPageMixin, TemplateView):
    """One person's progress (any cycle of theirs with `?cycle=`) and activities by cycle, read
    only (their own pages are My CPD and My progress)."""

    model = ProgramMembership
    capability = VIEW
    template_name = "cpd/person.html"

    def check_access(self) -> None:
        super().check_access()
        try:
            self.membership = selectors.membership_in_view(access=self.access, pk=self.kwargs["pk"])
        except ProgramMembership.DoesNotExist:
            raise Http404("No such person.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.membership.user
        activities = list(selectors.person_activities(person=person, access=self.access))
        context.update(activity_list_context(activities))
        context.update(person=person, membership=self.membership)
        context["progress"] = shown_progress(self.request, person)
        return context
