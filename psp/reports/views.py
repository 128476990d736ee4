"""Report pages under /p/<program>/reports/: asking for a report (the document's form, filled
from the query string so a filtered page can link to it), its status page (polled by htmx while
it is being made), the download, and the person's own reports and subscriptions.

A report is its requester's alone: anyone else, whatever their role, gets 404 for it, as for
another program's. A role that holds no report capability gets 403 for every page here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views import View
from django.views.generic import TemplateView

from psp.dates import write_date
from psp.forms import add_service_errors
from psp.reports import registry, selectors, services
from psp.reports.downloads import file_exists, pdf_response
from psp.reports.forms import SubscriptionForm
from psp.reports.models import Report, ReportState, ReportSubscription
from psp.tenancy.pages import ProgramPageMixin

PAGE_SIZE = 50


class ReportPageMixin(ProgramPageMixin):
    """403 for a role with no report capability at all (staff)."""

    def check_access(self) -> None:
        if not selectors.may_have_reports(self.access):
            raise PermissionDenied("Your role does not make reports.")


class OwnReportMixin(ReportPageMixin):
    """A page about one of the person's own reports (`self.report`); anyone else's is 404."""

    model = Report

    def check_access(self) -> None:
        super().check_access()
        try:
            self.report = selectors.my_report(user=self.request.user, pk=self.kwargs["pk"])
        except Report.DoesNotExist:
            raise Http404("No such report.") from None


class ReportListView(ReportPageMixin, TemplateView):
    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = Paginator(selectors.my_reports(user=user), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        titles = {document.code: document.title for document in registry.documents()}
        subscriptions = list(selectors.my_subscriptions(user=user))
        for subscription in subscriptions:
            subscription.title = titles.get(subscription.document, subscription.document)
        context.update(
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            reports=[
                (
                    report,
                    titles.get(report.document, report.document),
                    selectors.status_text(report),
                )
                for report in page.object_list
            ],
            subscriptions=subscriptions,
            requestable=_requestable(self.access),
        )
        return context


def _requestable(access) -> list[registry.Document]:
    """The program-wide documents the person may ask for from the list page (a practice's
    card is asked for on its practice's page, a person's documents on their CPD page)."""
    return [
        document
        for document in registry.documents()
        if document.subject == "program" and access.can(document.capability)
    ]


class ReportRequestView(ReportPageMixin, TemplateView):
    """GET: the document's form, filled from the query string. POST: "Make the report" queues
    it and goes to its status page; "Subscribe" saves a subscription with the same filters."""

    template_name = "reports/report_request.html"

    def check_access(self) -> None:
        try:
            self.document = registry.document(self.kwargs["document_code"])
        except KeyError:
            raise Http404("No such report.") from None
        if not self.access.can(self.document.capability):
            raise PermissionDenied("Your role does not allow this report.")
        if self.document.may is not None and not self.document.may(self.access, self.request.GET):
            raise Http404("No such record, or not one you may make this report of.")

    def get(self, request, *args, **kwargs):
        form, params = self._form_from_query()
        return self._page(form, SubscriptionForm(), params)

    def post(self, request, *args, **kwargs):
        services.refuse_out_of_reach(access=self.access, document=self.document, data=request.POST)
        form = self.document.form(request.POST, access=self.access)
        subscribing = "subscribe" in request.POST and self.may_subscribe()
        subscription_form = SubscriptionForm(request.POST if subscribing else None)
        if form.is_valid() and (not subscribing or subscription_form.is_valid()):
            params = self.document.params_from(form)
            try:
                if subscribing:
                    return self._subscribe(params, subscription_form.cleaned_data["frequency"])
                report = services.report_request(
                    program=request.program,
                    access=self.access,
                    document_code=self.document.code,
                    params=params,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("reports:detail", program=request.program.slug, pk=report.pk)
        return self._page(form, subscription_form, None)

    def may_subscribe(self) -> bool:
        return self.document.subscribable and self.access.can(self.document.capability)

    def _subscribe(self, params: dict, frequency: str):
        subscription = services.subscription_create(
            program=self.request.program,
            access=self.access,
            document_code=self.document.code,
            params=params,
            frequency=frequency,
        )
        messages.success(
            self.request,
            f"Subscribed: the {self.document.title.lower()} will be made "
            f"{subscription.get_frequency_display().lower()}, the first on "
            f"{write_date(subscription.next_run_on)}.",
        )
        return redirect("reports:list", program=self.request.program.slug)

    def _form_from_query(self):
        """The form as the query string fills it. A complete, valid query also says what the
        report will be (if the person may ask for it); an incomplete one fills what it can. A
        value the link named that the form refuses is shown with its reason (a certificate of
        a cycle whose requirements are not met says what is missing)."""
        query, access = self.request.GET, self.access
        if not query:
            return self.document.form(access=access), None
        bound = self.document.form(query, access=access)
        if bound.is_valid():
            params = self.document.params_from(bound)
            if services.may_request(access=access, document=self.document, params=params):
                return bound, params
        elif any(query.get(name) for name in bound.errors):
            return bound, None
        return self.document.form(access=access, initial=query.dict()), None

    def _page(self, form, subscription_form, params):
        context = self.get_context_data(
            document=self.document,
            form=form,
            subscription_form=subscription_form,
            may_subscribe=self.may_subscribe(),
            description=(self.document.describe(self.request.program, params) if params else ""),
        )
        return self.render_to_response(context)


class ReportDetailView(OwnReportMixin, TemplateView):
    """The status page; htmx asks for its status region alone every 2 s while the report is
    being made, and the region it gets back once done or failed no longer asks."""

    template_name = "reports/report_detail.html"
    fragment_template = "reports/_status.html"

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [self.fragment_template]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        try:
            title = registry.document(report.document).title
        except KeyError:
            title = "Report"
        context.update(report=report, title=title, status=selectors.status_text(report))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response


class ReportDownloadView(OwnReportMixin, View):
    """The PDF, to its requester while they still hold the document's capability (on its
    practice for a practice document); 410 once its file has expired."""

    def get(self, request, *args, **kwargs):
        report = self.report
        try:
            document = registry.document(report.document)
        except KeyError:
            raise Http404("No such report.") from None
        if not services.may_request(access=self.access, document=document, params=report.params):
            raise Http404("No such report.")
        if report.state == ReportState.EXPIRED:
            return _gone(request, report)
        if report.state != ReportState.DONE or not report.file:
            raise Http404("This report is not ready.")
        if not file_exists(report):  # removed from the storage by hand: as good as expired
            return _gone(request, report)
        return pdf_response(report)


def _gone(request, report):
    return render(request, "reports/expired.html", {"report": report}, status=410)


class SubscriptionCancelView(ReportPageMixin, View):
    model = ReportSubscription
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        subscription = selectors.my_subscriptions(user=request.user).filter(pk=kwargs["pk"]).first()
        if subscription is None:
            raise Http404("No such subscription.")
        services.subscription_cancel(
            program=request.program, access=self.access, subscription=subscription
        )
        messages.success(request, "The subscription was cancelled; no more reports will come.")
        return redirect("reports:list", program=request.program.slug)
