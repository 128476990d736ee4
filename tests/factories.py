"""Factories for the whole suite. Tenant-owned factories must be used inside a program scope
(the `program_a` fixtures enter one) or be given `program=` explicitly."""

from datetime import timedelta

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone

from assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ChangeIdea,
    ConsensusAnswer,
    Domain,
    DomainScore,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    Response,
    VersionStatus,
)
from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    Activity,
    CaseloadRules,
    DoseActivityMonth,
    DoseCoachMonth,
    DoseMonth,
    FeedbackInvite,
    FeedbackPracticeQuarter,
    FeedbackQuarter,
    FeedbackResponse,
    GoalStatus,
    PdsaCycle,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SupportPlan,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    VisitMode,
    VisitStatus,
)
from compliance.models import (
    Attestation,
    Attester,
    ChecklistAssignment,
    ChecklistInstance,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    ItemOutcome,
    ItemResponse,
    PracticeDesignation,
)
from cpd.models import ActivityStatus, ActivityType, CpdActivity, CpdOffering
from kpis.models import (
    Breakdown,
    KpiDefinition,
    KpiMark,
    KpiPracticeTarget,
    KpiRefresh,
    KpiSummary,
    KpiValue,
    ValueOrigin,
)
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage
from psp.accounts.models import ApiToken, PracticeRole, User
from psp.history.models import ChangeRecord, SubjectType
from psp.notifications.models import Digest, Notification, NotificationPreference
from psp.tenancy.models import Program, ProgramMembership, ProgramRole, Sector
from psp.tenancy.scope import program_scope

PASSWORD = "correct-horse-battery-42"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    sector = Sector.PRIMARY_CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()


def _scoped_create(model_class, program, **kwargs):
    with program_scope(program):
        return model_class.objects.create(program=program, **kwargs)


class ScopedFactory(factory.django.DjangoModelFactory):
    """Creates tenant rows inside the program's scope, whatever scope the test is in."""

    class Meta:
        abstract = True

    program = factory.SubFactory(ProgramFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        program = kwargs.pop("program")
        return _scoped_create(model_class, program, **kwargs)


class MembershipFactory(ScopedFactory):
    class Meta:
        model = ProgramMembership

    user = factory.SubFactory(UserFactory)
    role = ProgramRole.COACH


class PracticeFactory(ScopedFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Riverside Family Practice {n}")
    sector = Sector.PRIMARY_CARE
    specialty = "Family medicine"
    professionals_count = 4
    staff_count = 6
    region = "North"
    stage = Stage.NEEDS_ASSESSMENT


class PracticeMembershipFactory(ScopedFactory):
    class Meta:
        model = PracticeMembership

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    user = factory.SubFactory(UserFactory)
    role = PracticeRole.STAFF


class CoachAssignmentFactory(ScopedFactory):
    class Meta:
        model = CoachAssignment

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    coach = factory.SubFactory(UserFactory)


def api_token_for(program, user, name: str = "Script") -> tuple[ApiToken, str]:
    """A token made below the service's rule of which roles hold tokens (api_tokens.own): a
    token any role may still have from before that rule, which keeps working until revoked.
    Returns the row and the key."""
    key, lookup, key_hash = ApiToken.new_key()
    with program_scope(program):
        token = ApiToken.objects.create(user=user, name=name, lookup=lookup, key_hash=key_hash)
    return token, key


def give_totp(user) -> Authenticator:
    """Mark a user as having TOTP set up (admins need it to reach program pages)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance


# Assessments: instruments and their versions, completed assessments, the change library ------
# Names carry the program's name, so a page that shows another program's instrument, question or
# plan gives itself away in the isolation walk (which looks for program B's name in answers).


class InstrumentFactory(ScopedFactory):
    class Meta:
        model = Instrument

    key = factory.Sequence(lambda n: f"practice-readiness-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.program.name} practice readiness")
    sector = Sector.PRIMARY_CARE
    description = "How ready the practice is to change the way it works."
    cadence_months = 6
    weak_threshold = 60


class InstrumentVersionFactory(ScopedFactory):
    class Meta:
        model = InstrumentVersion

    instrument = factory.SubFactory(InstrumentFactory, program=factory.SelfAttribute("..program"))
    number = 1
    status = VersionStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class DomainFactory(ScopedFactory):
    class Meta:
        model = Domain

    version = factory.SubFactory(
        InstrumentVersionFactory, program=factory.SelfAttribute("..program")
    )
    key = factory.Sequence(lambda n: f"team-roles-{n}")
    name = factory.LazyAttribute(lambda o: f"Team roles ({o.program.name})")
    position = factory.Sequence(lambda n: n)


class QuestionFactory(ScopedFactory):
    """A 1–5 scale question by default; its domain belongs to its version."""

    class Meta:
        model = Question

    version = factory.SubFactory(
        InstrumentVersionFactory, program=factory.SelfAttribute("..program")
    )
    domain = factory.SubFactory(
        DomainFactory,
        program=factory.SelfAttribute("..program"),
        version=factory.SelfAttribute("..version"),
    )
    key = factory.Sequence(lambda n: f"q-{n}")
    text = factory.LazyAttribute(
        lambda o: f"Everyone at {o.program.name} knows who does what in the practice."
    )
    kind = QuestionKind.SCALE
    scale_labels = factory.LazyFunction(
        lambda: {"1": "Not at all", "3": "Partly", "5": "Fully in place"}
    )
    position = factory.Sequence(lambda n: n)


class OptionFactory(ScopedFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(
        QuestionFactory, program=factory.SelfAttribute("..program"), kind=QuestionKind.SINGLE
    )
    value = factory.Sequence(lambda n: f"option-{n}")
    label = factory.Sequence(lambda n: f"Option {n}")
    score = 1
    position = factory.Sequence(lambda n: n)


class AssessmentFactory(ScopedFactory):
    """An open round of a practice against a published version."""

    class Meta:
        model = Assessment

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    version = factory.SubFactory(
        InstrumentVersionFactory, program=factory.SelfAttribute("..program")
    )
    kind = AssessmentKind.BASELINE
    status = AssessmentStatus.OPEN


class ResponseFactory(ScopedFactory):
    class Meta:
        model = Response

    assessment = factory.SubFactory(AssessmentFactory, program=factory.SelfAttribute("..program"))
    respondent = factory.SubFactory(UserFactory)


class AnswerFactory(ScopedFactory):
    """An answer of 3 to a scale question of the response's own instrument version."""

    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory, program=factory.SelfAttribute("..program"))
    question = factory.SubFactory(
        QuestionFactory,
        program=factory.SelfAttribute("..program"),
        version=factory.SelfAttribute("..response.assessment.version"),
    )
    value = 3


class ConsensusAnswerFactory(ScopedFactory):
    class Meta:
        model = ConsensusAnswer

    assessment = factory.SubFactory(AssessmentFactory, program=factory.SelfAttribute("..program"))
    question = factory.SubFactory(
        QuestionFactory,
        program=factory.SelfAttribute("..program"),
        version=factory.SelfAttribute("..assessment.version"),
    )
    value = 4
    note = "Agreed at the team meeting."


class DomainScoreFactory(ScopedFactory):
    class Meta:
        model = DomainScore

    assessment = factory.SubFactory(
        AssessmentFactory,
        program=factory.SelfAttribute("..program"),
        status=AssessmentStatus.SUBMITTED,
    )
    domain = factory.SubFactory(
        DomainFactory,
        program=factory.SelfAttribute("..program"),
        version=factory.SelfAttribute("..assessment.version"),
    )
    domain_key = factory.SelfAttribute("domain.key")
    domain_name = factory.SelfAttribute("domain.name")
    position = factory.SelfAttribute("domain.position")
    achieved_points = 6
    attainable_points = 10
    percent = 60


class ChangeIdeaFactory(ScopedFactory):
    class Meta:
        model = ChangeIdea

    instrument = factory.SubFactory(InstrumentFactory, program=factory.SelfAttribute("..program"))
    domain_key = "team-roles"
    goal = factory.LazyAttribute(lambda o: f"Agree who does what at {o.program.name}")
    rationale = "Clear roles free the physicians' time for patients."
    suggested_measure = "A written roles chart everyone has signed off"
    suggested_actions = factory.LazyFunction(
        lambda: ["Map today's tasks by role", "Agree the new split at a team meeting"]
    )


# Support plans ---------------------------------------------------------------------------------


class SupportPlanFactory(ScopedFactory):
    """A draft plan for a practice, drafted from an assessment of that same practice."""

    class Meta:
        model = SupportPlan

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    assessment = factory.SubFactory(
        AssessmentFactory,
        program=factory.SelfAttribute("..program"),
        practice=factory.SelfAttribute("..practice"),
        status=AssessmentStatus.SUBMITTED,
    )
    title = factory.LazyAttribute(lambda o: f"Support plan for {o.practice.name}")
    status = PlanStatus.DRAFT


class PlanGoalFactory(ScopedFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(SupportPlanFactory, program=factory.SelfAttribute("..program"))
    domain_key = "team-roles"
    domain_name = "Team roles"
    baseline_percent = 40
    title = factory.LazyAttribute(lambda o: f"Clear team roles at {o.plan.practice.name}")
    measure = "A roles chart signed off by every team member"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    status = GoalStatus.OPEN


class PlanActionFactory(ScopedFactory):
    class Meta:
        model = PlanAction

    goal = factory.SubFactory(PlanGoalFactory, program=factory.SelfAttribute("..program"))
    plan = factory.SelfAttribute("goal.plan")
    practice = factory.SelfAttribute("plan.practice")
    title = "Map today's tasks by role"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    status = ActionStatus.OPEN


class PdsaCycleFactory(ScopedFactory):
    """A cycle still being planned, on a goal (its practice is the goal's plan's)."""

    class Meta:
        model = PdsaCycle

    goal = factory.SubFactory(PlanGoalFactory, program=factory.SelfAttribute("..program"))
    practice = factory.SelfAttribute("goal.plan.practice")
    number = factory.Sequence(lambda n: n + 1)
    change_idea = "Text reminders two days before each appointment"
    prediction = "Missed appointments fall from 12% to under 8% within a month."
    kpi_key = "no-show-rate"


class ActionStatusChangeFactory(ScopedFactory):
    class Meta:
        model = ActionStatusChange

    action = factory.SubFactory(PlanActionFactory, program=factory.SelfAttribute("..program"))
    from_status = ""
    to_status = ActionStatus.OPEN
    note = factory.LazyAttribute(lambda o: f"Agreed with {o.program.name}")


class CaseloadRulesFactory(ScopedFactory):
    class Meta:
        model = CaseloadRules


# Visits and feedback ---------------------------------------------------------------------------


class VisitFactory(ScopedFactory):
    """A logged on-site visit of an hour, a week ago."""

    class Meta:
        model = Visit

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    coach = factory.SubFactory(UserFactory)
    status = VisitStatus.LOGGED
    visit_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    mode = VisitMode.ON_SITE
    duration_minutes = 60
    travel_minutes = 20
    purpose = factory.LazyAttribute(lambda o: f"Huddle routine at {o.practice.name}")
    notes = factory.LazyAttribute(lambda o: f"Walked through the {o.program.name} huddle board.")
    logged_at = factory.LazyFunction(timezone.now)


class VisitActivityFactory(ScopedFactory):
    class Meta:
        model = VisitActivity

    visit = factory.SubFactory(VisitFactory, program=factory.SelfAttribute("..program"))
    activity = Activity.WORKFLOW
    minutes = 60


class DoseMonthFactory(ScopedFactory):
    """A row of the stored dose summary (derived data: tests of the summary log visits)."""

    class Meta:
        model = DoseMonth

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    coach = factory.SubFactory(UserFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    mode = VisitMode.ON_SITE
    visits = 1
    minutes = 60
    travel = 20


class DoseCoachMonthFactory(ScopedFactory):
    """A row of the per-coach monthly dose rollup (derived data, like DoseMonth)."""

    class Meta:
        model = DoseCoachMonth

    coach = factory.SubFactory(UserFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    mode = VisitMode.ON_SITE
    visits = 1
    minutes = 60
    travel = 20


class DoseActivityMonthFactory(ScopedFactory):
    class Meta:
        model = DoseActivityMonth

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    coach = factory.SubFactory(UserFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    activity = Activity.WORKFLOW
    visits = 1
    minutes = 60


class VisitAttendeeFactory(ScopedFactory):
    class Meta:
        model = VisitAttendee

    visit = factory.SubFactory(VisitFactory, program=factory.SelfAttribute("..program"))
    person = factory.SubFactory(UserFactory)


class VisitGoalFactory(ScopedFactory):
    class Meta:
        model = VisitGoal

    visit = factory.SubFactory(VisitFactory, program=factory.SelfAttribute("..program"))
    goal = factory.SubFactory(PlanGoalFactory, program=factory.SelfAttribute("..program"))


class FeedbackInviteFactory(ScopedFactory):
    class Meta:
        model = FeedbackInvite

    visit = factory.SubFactory(VisitFactory, program=factory.SelfAttribute("..program"))
    person = factory.SubFactory(UserFactory)


class FeedbackResponseFactory(ScopedFactory):
    class Meta:
        model = FeedbackResponse

    visit = factory.SubFactory(VisitFactory, program=factory.SelfAttribute("..program"))
    usefulness = 4
    would_recommend = 9
    comment = factory.LazyAttribute(lambda o: f"The {o.program.name} huddle tips helped.")


class FeedbackQuarterFactory(ScopedFactory):
    """A row of the stored feedback summary (derived data: tests of the summary write answers)."""

    class Meta:
        model = FeedbackQuarter

    coach = factory.SubFactory(UserFactory)
    quarter = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    responses = 3
    usefulness_sum = 12


class FeedbackPracticeQuarterFactory(FeedbackQuarterFactory):
    class Meta:
        model = FeedbackPracticeQuarter

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))


class ChangeRecordFactory(ScopedFactory):
    class Meta:
        model = ChangeRecord

    practice_id = factory.LazyAttribute(lambda o: PracticeFactory(program=o.program).pk)
    subject_type = SubjectType.PLAN
    subject_id = factory.Sequence(lambda n: n + 1)
    what = "plan.edited"
    summary = factory.LazyAttribute(lambda o: f"Plan edited: title “{o.program.name} plan”")
    changes = factory.LazyAttribute(lambda o: {"title": ["Old title", f"{o.program.name} plan"]})


class NotificationFactory(ScopedFactory):
    """A notification as recorded, without its delivery (tests of delivery use the services)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "visit_tomorrow"
    key = factory.Sequence(lambda n: f"visit_tomorrow:{n}")
    title = factory.LazyAttribute(lambda o: f"Visit at {o.program.name} Health Centre tomorrow")
    url = factory.LazyAttribute(lambda o: f"/p/{o.program.slug}/visits/")
    delivery = "app"


class NotificationPreferenceFactory(ScopedFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = "visit_tomorrow"
    delivery = "digest"


class DigestFactory(ScopedFactory):
    class Meta:
        model = Digest

    user = factory.SubFactory(UserFactory)
    day = factory.LazyFunction(timezone.localdate)


class KpiDefinitionFactory(ScopedFactory):
    class Meta:
        model = KpiDefinition

    code = factory.Sequence(lambda n: f"no-show-rate-{n}")
    name = factory.Sequence(lambda n: f"Missed appointment rate {n}")
    unit = "percent"
    direction = "lower"
    aggregation = "mean"


class KpiPracticeTargetFactory(ScopedFactory):
    class Meta:
        model = KpiPracticeTarget

    definition = factory.SubFactory(
        KpiDefinitionFactory, program=factory.SelfAttribute("..program")
    )
    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    target = 5


class KpiValueFactory(ScopedFactory):
    class Meta:
        model = KpiValue

    definition = factory.SubFactory(
        KpiDefinitionFactory, program=factory.SelfAttribute("..program")
    )
    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    period = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    value = 12
    origin = ValueOrigin.ENTERED


class KpiSummaryFactory(ScopedFactory):
    class Meta:
        model = KpiSummary

    definition = factory.SubFactory(
        KpiDefinitionFactory, program=factory.SelfAttribute("..program")
    )
    period = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    breakdown = Breakdown.ALL
    practices = 6
    value = 12


class KpiMarkFactory(ScopedFactory):
    class Meta:
        model = KpiMark

    source = "visits"
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    breakdown = Breakdown.ALL
    count = 3


class KpiRefreshFactory(ScopedFactory):
    class Meta:
        model = KpiRefresh

    refreshed_at = factory.LazyFunction(timezone.now)


# CPD activities ----------------------------------------------------------------------------


class CpdOfferingFactory(ScopedFactory):
    class Meta:
        model = CpdOffering

    title = "Managing chronic pain in primary care"
    activity_type = ActivityType.WORKSHOP
    provider = "North PSP"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=14))
    ended_on = factory.SelfAttribute("started_on")
    hours = 3


class CpdActivityFactory(ScopedFactory):
    """A self-reported workshop outside any cycle (give `cycle=` and credits for one inside)."""

    class Meta:
        model = CpdActivity

    person = factory.SubFactory(UserFactory)
    activity_type = ActivityType.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}: safer opioid prescribing")
    provider = "College of Family Physicians"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    ended_on = factory.SelfAttribute("started_on")
    hours = 2
    status = ActivityStatus.SELF_REPORTED


class ChecklistTemplateFactory(ScopedFactory):
    """A yearly privacy checklist without versions (use `published_checklist` for a whole one)."""

    class Meta:
        model = ChecklistTemplate

    key = factory.Sequence(lambda n: f"privacy-review-{n}")
    name = factory.Sequence(lambda n: f"Annual privacy review {n}")
    recurrence = "annually"


class ChecklistVersionFactory(ScopedFactory):
    class Meta:
        model = ChecklistVersion

    template = factory.SubFactory(
        ChecklistTemplateFactory, program=factory.SelfAttribute("..program")
    )
    number = factory.Sequence(lambda n: n + 1)
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class ChecklistSectionFactory(ScopedFactory):
    class Meta:
        model = ChecklistSection

    version = factory.SubFactory(
        ChecklistVersionFactory, program=factory.SelfAttribute("..program")
    )
    title = "Privacy and confidentiality"


class ChecklistItemFactory(ScopedFactory):
    class Meta:
        model = ChecklistItem

    section = factory.SubFactory(
        ChecklistSectionFactory, program=factory.SelfAttribute("..program")
    )
    version = factory.SelfAttribute("section.version")
    key = factory.Sequence(lambda n: f"privacy-notice-{n}")
    text = "The privacy notice is displayed where clients can read it."
    guidance = "Check the waiting room and the website."
    reference = "Privacy Act, s. 4.1"


class ChecklistAssignmentFactory(ScopedFactory):
    class Meta:
        model = ChecklistAssignment

    template = factory.SubFactory(
        ChecklistTemplateFactory, program=factory.SelfAttribute("..program")
    )
    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))


class ChecklistInstanceFactory(ScopedFactory):
    class Meta:
        model = ChecklistInstance

    version = factory.SubFactory(
        ChecklistVersionFactory, program=factory.SelfAttribute("..program")
    )
    template = factory.SelfAttribute("version.template")
    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    period_key = factory.Sequence(lambda n: str(2000 + n))
    period_label = factory.SelfAttribute("period_key")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=20))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class ItemResponseFactory(ScopedFactory):
    class Meta:
        model = ItemResponse

    instance = factory.SubFactory(
        ChecklistInstanceFactory, program=factory.SelfAttribute("..program")
    )
    item = factory.SubFactory(
        ChecklistItemFactory,
        program=factory.SelfAttribute("..program"),
        section__version=factory.SelfAttribute("...instance.version"),
    )
    choice = "done"
    outcome = ItemOutcome.MET


class AttestationFactory(ScopedFactory):
    class Meta:
        model = Attestation

    instance = factory.SubFactory(
        ChecklistInstanceFactory, program=factory.SelfAttribute("..program")
    )
    attester = Attester.LEAD
    user = factory.SubFactory(UserFactory)
    signed_name = factory.SelfAttribute("user.full_name")
    statement = "I confirm these answers are true and complete."
    signed_on = factory.LazyFunction(timezone.localdate)


class PracticeDesignationFactory(ScopedFactory):
    class Meta:
        model = PracticeDesignation

    practice = factory.SubFactory(PracticeFactory, program=factory.SelfAttribute("..program"))
    attester = Attester.PRIVACY_OFFICER
    user = factory.SubFactory(UserFactory)
