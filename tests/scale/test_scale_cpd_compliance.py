"""The scale program's CPD and compliance checklists at a small size: every practice lead a scheme
applies to has two years of activities in cycles that agree with the CPD services, every
practice has the checklists the scheduler would make, filled in as the models require, `--add`
replaces these areas of a program generated earlier rather than piling up, and the manager's
CPD and compliance pages answer."""

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from coaching.models import Visit
from compliance.checklists.models import ChecklistItem, ChecklistTemplate
from compliance.instances.models import (
    Attestation,
    ChecklistInstance,
    InstanceStatus,
    ItemOutcome,
    ItemResponse,
)
from compliance.schedules.models import ChecklistAssignment
from compliance.schedules.services import schedule_instances
from cpd.activities.services.common import credit
from cpd.models import ActivityStatus, CpdActivity, CpdCycle, CpdScheme, CpdVerifier
from cpd.progress.completion import completion
from cpd.progress.services import cycles_status_refresh
from cpd.progress.standing import Standing
from cpd.schemes.cycles import scheme_for
from practices.models import Practice, PracticeMembership
from psp.demo.scale.cpd import PER_PERSON
from psp.tenancy.models import Program, ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db

SLUG = "scale-c"
MODELS = (
    CpdScheme, CpdCycle, CpdActivity, CpdVerifier, ChecklistTemplate, ChecklistAssignment,
    ChecklistInstance, ItemResponse, Attestation,
)  # fmt: skip


@pytest.fixture
def program():
    # 800 visits: eight practices, of several sectors (primary care, law, education...).
    call_command("generate_scale_data", visits=800, seed=3, program=SLUG, verbosity=0)
    program = Program.objects.get(slug=SLUG)
    with program_scope(program):
        yield program


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_every_lead_under_a_scheme_has_two_years_of_activities_in_cycles_the_services_agree_with(
    program,
):
    today = timezone.localdate()
    leads = [m.user for m in PracticeMembership.objects.select_related("user").order_by("pk")]
    under = [lead for lead in leads if scheme_for(person=lead, on=today) is not None]
    assert len(leads) == 8 and len(under) >= 4

    for lead in under:
        activities = list(CpdActivity.objects.filter(person=lead).select_related("cycle__version"))
        assert len(activities) == PER_PERSON
        running = CpdCycle.objects.filter(person=lead, starts_on__lte=today, ends_on__gte=today)
        assert running.count() == 1
        for activity in activities:  # in the cycle of its end date, credited by its rules
            assert activity.cycle.starts_on <= activity.ended_on <= activity.cycle.ends_on
            assert credit(
                activity.cycle,
                activity.activity_type,
                activity.hours,
                activity.items,
                activity.category,
            ) == (activity.category, activity.credits)
        statuses = {a.status for a in activities}
        assert ActivityStatus.VERIFIED in statuses and ActivityStatus.SUBMITTED in statuses
    # The stored statuses are those the services would leave: refreshing changes nothing.
    cycle_ids = list(CpdCycle.objects.values_list("pk", flat=True))
    assert cycles_status_refresh(program=program, cycle_ids=cycle_ids, today=today) == []
    standings = {row.standing for row in completion(program=program, today=today).rows}
    assert Standing.BEHIND in standings and len(standings) >= 2  # paces differ


def test_every_practice_has_the_scheduled_checklists_filled_in_as_the_models_require(program):
    today = timezone.localdate()
    # The scheduler finds nothing missing: the generator made every period it would make.
    assert schedule_instances(program=program, today=today) == 0
    assert Practice.objects.exclude(checklist_instances__isnull=False).count() == 0

    items = {}
    for item in ChecklistItem.objects.all():
        items.setdefault(item.version_id, set()).add(item.attester)
    instances = ChecklistInstance.objects.prefetch_related("responses", "attestations")
    seen = set()
    for instance in instances:
        answered, signed = len(instance.responses.all()), len(instance.attestations.all())
        total = ChecklistItem.objects.filter(version_id=instance.version_id).count()
        seen.add(instance.status)
        assert instance.revision == 1
        if instance.status == InstanceStatus.ATTESTED:
            assert answered == total and instance.completed_at and instance.attested_at
            assert {a.attester for a in instance.attestations.all()} == items[instance.version_id]
            assert instance.attested_at.date() < today
        elif instance.status == InstanceStatus.COMPLETED:
            assert answered == total and instance.completed_at and not instance.attested_at
            assert signed == 0
        elif instance.status == InstanceStatus.IN_PROGRESS:
            assert 0 < answered < total and signed == 0
        else:
            assert instance.status == InstanceStatus.OPEN and answered == signed == 0
    assert InstanceStatus.ATTESTED in seen and InstanceStatus.OPEN in seen
    signed = ChecklistInstance.objects.filter(status=InstanceStatus.ATTESTED)
    assert signed.filter(attested_at__date__gt=F("due_on")).exists()  # some late
    assert signed.filter(attested_at__date__lte=F("due_on")).count() > signed.count() // 2
    assert ItemResponse.objects.filter(outcome=ItemOutcome.FAILED).exists()


def test_add_replaces_the_areas_and_leaves_the_rest_of_the_program(program):
    before, visits = counts(), Visit.objects.count()
    first = CpdActivity.objects.order_by("person_id", "ended_on").values_list(
        "person__email", "title", "ended_on", "credits", "status"
    )[:5]
    first = list(first)

    call_command("generate_scale_data", program=SLUG, seed=3, add="cpd,compliance", verbosity=0)

    assert counts() == before
    assert Visit.objects.count() == visits
    again = CpdActivity.objects.order_by("person_id", "ended_on").values_list(
        "person__email", "title", "ended_on", "credits", "status"
    )[:5]
    assert list(again) == first


def test_the_managers_cpd_and_compliance_pages_answer(client, program):
    manager = ProgramMembership.objects.get(program=program, role=ProgramRole.MANAGER).user
    activity = CpdActivity.objects.order_by("pk").first()
    checklist = ChecklistInstance.objects.filter(status=InstanceStatus.ATTESTED).first()
    kwargs = {"program": SLUG}
    pages = [
        reverse("cpd:completion", kwargs=kwargs),
        reverse("cpd:queue", kwargs=kwargs),
        reverse("cpd:people", kwargs=kwargs),
        reverse("cpd:detail", kwargs=kwargs | {"pk": activity.pk}),
        reverse("compliance_followup:overview", kwargs=kwargs),
        reverse("compliance_followup:due", kwargs=kwargs),
        reverse("compliance_templates:list", kwargs=kwargs),
        reverse("compliance:practice", kwargs=kwargs | {"practice_pk": checklist.practice_id}),
        reverse("compliance:checklist", kwargs=kwargs | {"pk": checklist.pk}),
    ]
    client.force_login(manager)
    for url in pages:
        assert client.get(url).status_code == 200, url
