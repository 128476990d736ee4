"""Writes of reports: asking for one (answered at once; the worker makes it), marking how it
went, expiry, and subscriptions.

Who may ask: the document's capability (registry.py), on the report's practice for a practice
document, anywhere for a program one. Everything the request writes (the report and its task in
the outbox) is one transaction, so a report is queued exactly when it exists."""

from datetime import timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from psp.dates import write_date
from psp.outbox.services import outbox_enqueue
from psp.reports import registry
from psp.reports.models import IN_PROGRESS, Frequency, Report, ReportState, ReportSubscription
from psp.reports.periods import first_run_on, period_before, run_after
from psp.tenancy.models import ProgramMembership

# Two identical requests this close together are one request (a double click, a reload).
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=10)


def document_or_error(code: str) -> registry.Document:
    try:
        return registry.document(code)
    except KeyError:
        raise ValidationError({"document": f"There is no report called “{code}”."}) from None


def params_from_data(document: registry.Document, data, *, access) -> dict:
    """Check parameters as the document's form does (the API sends them as JSON, the page as
    its query string or form): its JSON-ready parameters, or a ValidationError per field. A
    practice out of the person's reach is refused (403) before the form looks it up."""
    refuse_out_of_reach(access=access, document=document, data=data)
    form = document.form(data, access=access)
    if not form.is_valid():
        raise ValidationError({name: errors for name, errors in form.errors.items()})
    return document.params_from(form)


def refuse_out_of_reach(*, access, document: registry.Document, data) -> None:
    """A practice document asked for a practice the capability does not reach for this person
    (a coach and a practice they are not assigned to): 403, the same answer whether the
    practice exists or not. A document about a person's record asked for a record out of the
    person's reach (its `may`): 404, as for a record that does not exist."""
    if not access.can(document.capability):
        raise PermissionDenied("Your role does not allow this report.")
    asked = str((data or {}).get("practice") or "") if document.subject == "practice" else ""
    if asked.isdigit() and not access.can(document.capability, int(asked)):
        raise PermissionDenied("You may not make this report for that practice.")
    if document.may is not None and not document.may(access, data or {}):
        raise Http404("No such record, or not one you may make this report of.")


def may_request(*, access, document: registry.Document, params: dict) -> bool:
    """Does the person hold the document's capability, on the report's practice for a
    practice document, and may they ask about its record (its `may`) for a person's one?"""
    if document.subject == "practice":
        practice_id = params.get("practice")
        return practice_id is not None and access.can(document.capability, int(practice_id))
    if document.may is not None and not document.may(access, params):
        return False
    return access.can(document.capability)


def _check(*, program, access, document: registry.Document, params: dict) -> None:
    if document.subject == "practice":
        practice_id = params.get("practice")
        Practice = apps.get_model("practices", "Practice")
        if practice_id is None or not Practice.objects.filter(pk=practice_id).exists():
            raise ValidationError({"practice": "Choose a practice of this program."})
    if not may_request(access=access, document=document, params=params):
        raise PermissionDenied("Your role does not allow this report.")


def report_request(*, program, access, document_code: str, params: dict) -> Report:
    """Ask for a report for the person of `access`: queued now, made by the worker
    (tasks.build_report). The same request again within a few seconds answers with the report
    already queued or running."""
    document = document_or_error(document_code)
    _check(program=program, access=access, document=document, params=params)
    user = access.user
    with transaction.atomic():
        # One person's requests one at a time, so two clicks cannot both miss each other.
        ProgramMembership.objects.select_for_update().filter(user=user).first()
        recent = (
            Report.objects.filter(
                requested_by=user,
                document=document.code,
                params=params,
                state__in=IN_PROGRESS,
                created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
            )
            .order_by("-created_at")
            .first()
        )
        if recent is not None:
            return recent
        return _queue(program=program, document=document, params=params, user=user)


def _queue(*, program, document, params, user, subscription=None, key="") -> Report:
    from psp.reports.tasks import build_report

    report = Report.objects.create(
        document=document.code,
        params=params,
        description=document.describe(program, params)[:300],
        requested_by=user,
        subscription=subscription,
        key=key,
    )
    outbox_enqueue(
        build_report,
        program=program,
        key=f"report:{report.pk}",
        requested_by=user,
        report_id=report.pk,
    )
    return report


def report_mark_failed(*, program, report_id: int, error: str) -> None:
    """The worker gave up on the report (tasks.build_report's on_failure): its requester sees
    the reason on the status page."""
    Report.objects.filter(pk=report_id).exclude(state=ReportState.DONE).update(
        state=ReportState.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def reports_expire(*, program, now=None) -> int:
    """Delete the files past their expiry; the rows stay, marked expired. Returns how many."""
    now = now or timezone.now()
    due = Report.objects.filter(state=ReportState.DONE, expires_at__lte=now)
    count = 0
    for report in due.only("pk", "file", "program_id"):
        if report.file:
            report.file.delete(save=False)
        count += Report.objects.filter(pk=report.pk, state=ReportState.DONE).update(
            state=ReportState.EXPIRED, file=""
        )
    return count


# Subscriptions ---------------------------------------------------------------------------------


def subscription_create(
    *, program, access, document_code: str, params: dict, frequency: str
) -> ReportSubscription:
    """Subscribe the person of `access` to a subscribable document: the first report comes for
    the first period that ends from today on (a monthly one on the 1st of next month)."""
    document = document_or_error(document_code)
    if not document.subscribable:
        raise ValidationError({"document": "This report cannot be subscribed to."})
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose monthly or quarterly."})
    _check(program=program, access=access, document=document, params=params)
    with transaction.atomic():
        return ReportSubscription.objects.create(
            user=access.user,
            document=document.code,
            params=params,
            description=_subscription_description(program, document, params, frequency),
            frequency=frequency,
            next_run_on=first_run_on(frequency, program.local_today()),
        )


def _subscription_description(program, document, params: dict, frequency: str) -> str:
    """What a subscription's reports cover, e.g. "Each month just ended · Sector: Law practice":
    its filters as the document writes them, without the dates the form was filled in with
    (each report it makes covers its own period)."""
    first = period_before(frequency, first_run_on(frequency, program.local_today()))
    written = document.describe(program, {**params, **first.params()})
    period = f"{write_date(first.first)} – {write_date(first.last)}"
    unit = "quarter" if frequency == Frequency.QUARTERLY else "month"
    every = f"Each {unit} just ended"
    parts = [part for part in written.split(" · ") if part != period]
    return " · ".join([every, *parts])[:300]


def subscription_cancel(*, program, access, subscription: ReportSubscription) -> None:
    """Stop a subscription (its reports already made stay in the list)."""
    if subscription.user_id != access.user.pk:
        raise PermissionDenied("This is someone else's subscription.")
    with transaction.atomic():
        ReportSubscription.objects.filter(pk=subscription.pk).update(active=False)


def subscriptions_run_due(*, program, today=None) -> list[Report]:
    """Make the report of every subscription that is due, for the period just ended (a
    monthly subscription on 1 December makes November's), and set its next day. The key
    `subscription:<id>:<period>` makes a repeat on the same day queue nothing new."""
    today = today or program.local_today()
    due = ReportSubscription.objects.filter(active=True, next_run_on__lte=today).select_related(
        "user"
    )
    made = []
    for subscription in due:
        report = _run_subscription(program=program, subscription=subscription, today=today)
        if report is not None:
            made.append(report)
    return made


def _run_subscription(*, program, subscription, today) -> Report | None:
    from psp.tenancy.access import access_for

    with transaction.atomic():
        locked = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
        if not locked.active or locked.next_run_on > today:
            return None  # run meanwhile by another worker, or cancelled
        locked.next_run_on = run_after(locked.frequency, today)
        access = access_for(program=program, user=subscription.user)
        try:
            document = registry.document(locked.document)
        except KeyError:
            document = None
        if (
            access is None
            or document is None
            or not may_request(access=access, document=document, params=locked.params)
        ):
            # The person left the program or lost the role: the subscription ends with it.
            locked.active = False
            locked.save(update_fields=["next_run_on", "active"])
            return None
        locked.save(update_fields=["next_run_on"])
        period = period_before(locked.frequency, today)
        key = f"subscription:{locked.pk}:{period.code}"
        existing = Report.objects.filter(key=key).first()
        if existing is not None:
            return existing
        params = {**locked.params, **period.params()}
        return _queue(
            program=program,
            document=document,
            params=params,
            user=locked.user,
            subscription=locked,
            key=key,
        )
