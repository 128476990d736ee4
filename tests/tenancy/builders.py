"""One row of every program-owned model in a program, for the isolation walk.

For each `ProgramOwned` model in the app registry: a row the program already has (the `World`
fixture makes practices, memberships and coach assignments), else one from BUILDERS below, else
one from that model's factory in tests/factories.py, given the rows built before it as its
parents (models come in registry order, parents first). A model none of these can build fails the
walk by name, so a new model cannot silently stay out of it.
"""

import inspect
from datetime import timedelta

import factory
from django.apps import apps
from django.utils import timezone

from psp.tenancy.base import ProgramOwned
from psp.tenancy.scope import program_scope
from tests import factories


class CannotBuild(Exception):
    pass


def program_owned_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ProgramOwned) and not model._meta.proxy
    ]


def _factories() -> dict[type, type]:
    found = {}
    for _, obj in inspect.getmembers(factories, inspect.isclass):
        if issubclass(obj, factory.django.DjangoModelFactory) and not obj._meta.abstract:
            found[obj._meta.model] = obj
    return found


def _api_token(world):
    from psp.accounts.models import ApiToken

    key, lookup, key_hash = ApiToken.new_key()
    return ApiToken.objects.create(
        user=world.admin, name=f"{world.program.name} export", lookup=lookup, key_hash=key_hash
    )


def invitation_in(world, practice=None):
    """An invitation into `practice` (the world's own practice by default)."""
    from psp.accounts.models import Invitation
    from psp.tenancy.models import ProgramRole

    return Invitation.objects.create(
        email=f"invitee@{world.program.slug}.example.org",
        role=ProgramRole.PRACTICE,
        practice=practice or world.practice,
        practice_role="staff",
        message=f"Join {world.program.name}",
        token_hash=Invitation.hash_token(f"secret-{world.program.slug}"),
        invited_by=world.admin,
        expires_at=timezone.now() + timedelta(days=14),
    )


def _stage_change(world):
    from practices.models import StageChange

    return StageChange.objects.create(
        practice=world.practice,
        from_stage="",
        to_stage=world.practice.stage,
        moved_by=world.admin,
        note=f"Enrolled in {world.program.name}",
    )


def _response(world):
    """The staff member's own answers to the practice's assessment (a respondent of the program,
    so their answer pages have someone to show)."""
    from assessments.models import Assessment

    assessment = Assessment.objects.order_by("pk").first()
    return factories.ResponseFactory(
        program=world.program, assessment=assessment, respondent=world.staff
    )


def _plan_action(world):
    from coaching.models import PlanGoal

    goal = PlanGoal.objects.order_by("pk").first()
    return factories.PlanActionFactory(
        program=world.program, goal=goal, plan=goal.plan, owner=world.lead
    )


def _visit(world):
    """A visit by the world's coach to its practice, so the coach's pages have it to show."""
    return factories.VisitFactory(program=world.program, practice=world.practice, coach=world.coach)


def _visit_attendee(world):
    from coaching.models import Visit

    visit = Visit.objects.order_by("pk").first()
    return factories.VisitAttendeeFactory(program=world.program, visit=visit, person=world.staff)


def _feedback_invite(world):
    """The admin (who walks the routes) is asked about the coach's visit: only the person
    asked may open an invitation, so the walk needs its own to show the page answers at all."""
    from coaching.models import Visit

    visit = Visit.objects.order_by("pk").first()
    return factories.FeedbackInviteFactory(program=world.program, visit=visit, person=world.admin)


def _change_record(world):
    """A line of history about the world's practice (the walk's other rows come later in the
    registry, so it names a subject by id only)."""
    return factories.ChangeRecordFactory(program=world.program, practice_id=world.practice.pk)


def _caseload_standing(world):
    """The practice's stored standing. Stamps come after commit (practices/derived.py), so in
    a test's transaction none exists until the caseload is computed: compute it here."""
    from django.utils import timezone

    from coaching.caseload.models import CaseloadStanding
    from coaching.caseload.standings import standings_refresh
    from practices.models import Practice

    standings_refresh(
        practices=Practice.objects.filter(pk=world.practice.pk), today=timezone.localdate()
    )
    return CaseloadStanding.objects.get(practice=world.practice)


def failed_task(world):
    """A background task of the program that failed (an invitation email the mail server
    refused), so "Try again" has something to change."""
    from psp.outbox.models import OutboxMessage, OutboxState

    return OutboxMessage.objects.create(
        task="psp.accounts.tasks.send_invitation",
        kwargs={"invitation_id": 0},
        state=OutboxState.FAILED,
        requested_by=world.admin,
        attempts=1,
        error=f"SMTPRecipientsRefused: invitee@{world.program.slug}.example.org",
    )


def _notification(world):
    """The admin's own notification (the walk's admin must find it in A to prove anything)."""
    return factories.NotificationFactory(
        program=world.program,
        recipient=world.admin,
        practice=world.practice,
        title=f"Visit at {world.practice.name} tomorrow",
        url=f"/p/{world.program.slug}/practices/{world.practice.pk}/",
    )


def _notification_preference(world):
    return factories.NotificationPreferenceFactory(program=world.program, user=world.admin)


def _digest(world):
    return factories.DigestFactory(program=world.program, user=world.admin)


def _report(world):
    """A program report the admin (who walks the routes) asked for, done, with its file."""
    from django.core.files.base import ContentFile

    from psp.reports.models import Report, ReportState
    from tests.reports.documents import ensure_documents

    ensure_documents()
    report = Report(
        document="program_report",
        description=f"{world.program.name} program report",
        requested_by=world.admin,
        state=ReportState.DONE,
        progress=100,
        pages=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=30),
    )
    report.file.save("program-report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    report.file_size = report.file.size
    report.save()
    return report


def _report_subscription(world):
    from psp.reports.models import ReportSubscription

    return ReportSubscription.objects.create(
        user=world.admin,
        document="program_report",
        description=f"{world.program.name} program report",
        frequency="monthly",
        next_run_on=timezone.localdate() + timedelta(days=30),
    )


def _cpd_activity(world):
    """The staff member's activity, sent for verification: the walk's admin verifies, so the
    decision routes have something to decide in A (and must leave B's alone)."""
    return factories.CpdActivityFactory(
        program=world.program,
        person=world.staff,
        practice=world.practice,
        status="submitted",
        submitted_at=timezone.now(),
    )


def _cpd_scheme(world):
    """A scheme with its first version (the version is a row of its own, found afterwards)."""
    from cpd.models import CpdScheme, CpdSchemeVersion

    scheme = CpdScheme.objects.create(
        code="family-medicine",
        name=f"{world.program.name} CPD",
        description="250 credits over five years.",
        body="A college of family physicians",
        template_key="family-medicine",
        applies_to_roles=["staff"],
    )
    rules = {
        "unit": "credits",
        "cycle": {"years": 5, "start": "fixed", "fixed_month": 7, "fixed_day": 1},
        "required": {"total": 250, "per_year": 25},
        "categories": [{"key": "certified", "name": "Certified", "minimum": 125}],
        "credit_rules": [
            {"activity_type": "workshop", "per": "hour", "rate": 1, "category": "certified"}
        ],
        "carry_over": None,
    }
    version = CpdSchemeVersion.objects.create(
        scheme=scheme, number=1, rules=rules, note="First version", created_by=world.admin
    )
    scheme.current_version = version
    scheme.save(update_fields=["current_version"])
    return scheme


def _cpd_cycle(world):
    from cpd.models import CpdCycle, CpdScheme

    scheme = CpdScheme.objects.order_by("pk").first()
    today = timezone.localdate()
    start = (
        today.replace(month=7, day=1)
        if today.month >= 7
        else today.replace(year=today.year - 1, month=7, day=1)
    )
    return CpdCycle.objects.create(
        person=world.staff,
        scheme=scheme,
        version=scheme.current_version,
        starts_on=start,
        ends_on=start.replace(year=start.year + 5) - timedelta(days=1),
    )


def _cpd_credential(world):
    """A transcript issued for the staff member's cycle (the cycle and its scheme are built
    here when the walk has not reached them yet)."""
    from cpd.credentials.codes import new_code
    from cpd.models import CpdCredential, CpdCycle, CpdScheme

    if not CpdScheme.objects.exists():
        _cpd_scheme(world)
    cycle = CpdCycle.objects.order_by("pk").first() or _cpd_cycle(world)
    return CpdCredential.objects.create(
        kind="transcript",
        cycle=cycle,
        person=cycle.person,
        code=new_code(),
        status="in_progress",
        credits=0,
        required=250,
    )


def _cpd_scheme_member(world):
    from cpd.models import CpdScheme, CpdSchemeMember

    return CpdSchemeMember.objects.create(
        scheme=CpdScheme.objects.order_by("pk").first(), user=world.coach, added_by=world.admin
    )


def _cpd_verifier(world):
    from cpd.models import CpdVerifier

    return CpdVerifier.objects.create(user=world.other_coach, named_by=world.admin)


def _cpd_standing(world):
    """The staff member's stored CPD standing, as the nightly computation leaves it (the
    scheme that applies to them is built here when the walk has not reached it yet)."""
    from cpd.models import CpdScheme, CpdStanding
    from cpd.progress.standings import standings_rebuild

    if not CpdScheme.objects.exists():
        _cpd_scheme(world)
    standings_rebuild(program=world.program)
    return CpdStanding.objects.get(person=world.staff)


def _cpd_standings_run(world):
    from cpd.models import CpdStandingsRun

    if not CpdStandingsRun.objects.exists():
        _cpd_standing(world)
    return CpdStandingsRun.objects.get()


def _evidence_file(world):
    """A certificate on the staff member's record (the evidence tests' own subject kind, which
    admins read), with its bytes stored, so the download answers A's admin."""
    from tests.evidence.subjects import ensure_test_subject, record_of, stored_evidence

    ensure_test_subject()
    return stored_evidence(world, record_of(world), name=f"{world.program.name} certificate.pdf")


# "app_label.ModelName" -> fn(world) returning a saved row; runs inside the program's scope.
BUILDERS = {
    "cpd.CpdActivity": _cpd_activity,
    "cpd.CpdScheme": _cpd_scheme,
    "cpd.CpdCycle": _cpd_cycle,
    "cpd.CpdCredential": _cpd_credential,
    "cpd.CpdSchemeMember": _cpd_scheme_member,
    "cpd.CpdVerifier": _cpd_verifier,
    "cpd.CpdStanding": _cpd_standing,
    "cpd.CpdStandingsRun": _cpd_standings_run,
    "coaching.CaseloadStanding": _caseload_standing,
    "accounts.ApiToken": _api_token,
    "accounts.Invitation": invitation_in,
    "practices.StageChange": _stage_change,
    "assessments.Response": _response,
    "coaching.PlanAction": _plan_action,
    "coaching.Visit": _visit,
    "coaching.VisitAttendee": _visit_attendee,
    "coaching.FeedbackInvite": _feedback_invite,
    "history.ChangeRecord": _change_record,
    "outbox.OutboxMessage": failed_task,
    "notifications.Digest": _digest,
    "notifications.Notification": _notification,
    "notifications.NotificationPreference": _notification_preference,
    "reports.Report": _report,
    "reports.ReportSubscription": _report_subscription,
    "evidence.EvidenceFile": _evidence_file,
}


def _coach_membership(world):
    from psp.tenancy.models import ProgramMembership

    return ProgramMembership.objects.get(user=world.coach)


def _admins_cpd_claim(world):
    """A CPD claim drafted from a goal for the walk's admin: cpd-claims/{id}/ reads one's own."""
    return factories.CpdActivityFactory(
        program=world.program, person=world.admin, status="draft", source="goal", source_id=1
    )


def _drafting_template(world):
    """A checklist template with a draft version (the draft endpoints answer 404 without one)."""
    from compliance.models import ChecklistVersion

    version = factories.ChecklistVersionFactory(program=world.program, status="draft")
    return ChecklistVersion.objects.get(pk=version.pk).template


# Routes whose object must be a particular row of its model, not just the first one: route name
# -> {"app_label.ModelName": fn(world)}; runs inside the program's scope. One coach's feedback
# summary exists for coaches only (a manager's membership answers 404 even in its own program).
ROUTE_ROWS = {
    "feedback-summary-detail": {"tenancy.ProgramMembership": _coach_membership},
    # A failed task, so a retry that leaked across programs would change B's row.
    "tasks:retry": {"outbox.OutboxMessage": failed_task},
    "cpd-claims-detail": {"cpd.CpdActivity": _admins_cpd_claim},
    # A checklist template with a draft, so the draft's endpoints answer for A's own row.
    "checklist-templates-draft": {"compliance.ChecklistTemplate": _drafting_template},
    "checklist-templates-publish": {"compliance.ChecklistTemplate": _drafting_template},
}


def rows_for(route_name: str, world, rows: dict[type, object]) -> dict[type, object]:
    """`rows` (one_of_everything), with the rows ROUTE_ROWS names for this route instead."""
    chosen = ROUTE_ROWS.get(route_name, {})
    if not chosen:
        return rows
    with program_scope(world.program):
        return rows | {apps.get_model(label): build(world) for label, build in chosen.items()}


def one_of_everything(world) -> dict[type, object]:
    """{model: a row of it in world.program} for every program-owned model."""
    program = world.program
    found = _factories()
    rows: dict[type, object] = {}
    missing = []
    with program_scope(program):
        for model in program_owned_models():
            row = model.all_programs.filter(program=program).order_by("pk").first()
            if row is None and model._meta.label in BUILDERS:
                row = BUILDERS[model._meta.label](world)
            elif row is None and model in found:
                row = found[model](program=program, **_parents(model, rows))
            if row is None:
                missing.append(model._meta.label)
            else:
                rows[model] = row
    if missing:
        raise CannotBuild(
            "The isolation walk cannot build: "
            + ", ".join(missing)
            + ". Add a factory to tests/factories.py or a builder to tests/tenancy/builders.py."
        )
    return rows


def _parents(model, rows: dict[type, object]) -> dict[str, object]:
    """The rows already built as the new row's parents, so the program's rows hang together
    (the assessment of the world's practice, its answers to that assessment's questions...)
    instead of each factory starting a chain of its own."""
    return {
        field.name: rows[field.related_model]
        for field in model._meta.fields
        if field.is_relation and field.name != "program" and field.related_model in rows
    }


def related_choice(rows: dict[type, object], wanted: dict[str, type]) -> dict[str, object]:
    """For a route's object kwargs, rows that belong together: a child's parent is the parent
    the child points at (so a view that forgot the scope would really find the pair)."""
    chosen = {kwarg: rows[model] for kwarg, model in wanted.items()}
    for kwarg, model in wanted.items():
        for other in chosen.values():
            for field in other._meta.fields:
                if field.is_relation and field.related_model is model and field.name != "program":
                    related = getattr(other, field.name)
                    if related is not None:
                        chosen[kwarg] = related
    return chosen


def snapshot(program) -> dict[str, list[dict]]:
    """Every program-owned row of the program, plus the program itself and its people."""
    from practices.derived import flush_pending
    from psp.accounts.models import User
    from psp.tenancy.models import Program, ProgramMembership

    # A test's transaction never commits, so writes made while building the worlds are still
    # waiting to be stamped; the first read that flushes them (any caseload page) would stamp
    # both programs. Settle them first, so a change seen later is the walk's own doing.
    flush_pending()
    tables = {
        model._meta.label: list(model.all_programs.filter(program=program).order_by("pk").values())
        for model in program_owned_models()
    }
    tables["tenancy.Program"] = list(Program.objects.filter(pk=program.pk).values())
    people = ProgramMembership.all_programs.filter(program=program).values("user_id")
    # last_login moves when someone signs in; nothing in the walk should move anything else.
    fields = [f.attname for f in User._meta.concrete_fields if f.name != "last_login"]
    tables["accounts.User"] = list(
        User.objects.filter(pk__in=people).order_by("pk").values(*fields)
    )
    return tables
