"""Program activities: created once by an admin; each attendee gets one draft filled in from it,
credited under their own scheme, and adding someone twice drafts nothing twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cpd.activities import selectors, services
from cpd.models import ClaimSource, CpdActivity, CpdOffering
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import TODAY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WORKSHOP = {
    "title": "PSP workshop: team-based chronic disease care",
    "activity_type": "workshop",
    "provider": "North PSP",
    "started_on": TODAY - timedelta(days=7),
    "ended_on": None,
    "hours": Decimal("3"),
    "category": "certified",
}


def offering(world, **changes) -> CpdOffering:
    with program_scope(world.program):
        return services.offering_create(
            program=world.program, by=world.admin, data=WORKSHOP | changes
        )


def attend(world, offering_, people):
    with program_scope(world.program):
        return services.offering_add_attendees(
            program=world.program, offering=offering_, by=world.admin, people=people
        )


def drafts(world, offering_):
    with program_scope(world.program):
        return list(CpdActivity.objects.filter(offering=offering_).order_by("person__email"))


def test_an_offering_is_checked_like_an_activity_and_may_lie_ahead(world):
    with pytest.raises(ValidationError) as error:
        offering(world, title="", provider="", hours=Decimal("0"), category="ethics")
    assert set(error.value.message_dict) == {"title", "provider", "hours", "category"}

    ahead = offering(world, started_on=TODAY + timedelta(days=30))
    assert ahead.ended_on == ahead.started_on


def test_each_attendee_gets_one_draft_credited_under_their_own_scheme(world):
    workshop = offering(world)

    added = attend(world, workshop, [world.staff, world.lead, world.coach])

    assert len(added) == 3
    by_person = {d.person: d for d in drafts(world, workshop)}
    staff = by_person[world.staff]
    assert (staff.status, staff.source, staff.source_id) == (
        "draft",
        ClaimSource.OFFERING,
        workshop.pk,
    )
    assert (staff.credits, staff.category, staff.hours) == (
        Decimal("3.00"),
        "certified",
        Decimal("3"),
    )
    assert staff.cycle is not None and staff.practice == world.practice
    coach = by_person[world.coach]  # no scheme applies to coaches here
    assert (coach.cycle, coach.credits, coach.category) == (None, Decimal("0.00"), "")
    with program_scope(world.program):
        line = ChangeRecord.objects.get(subject_type=SubjectType.CPD_ACTIVITY, subject_id=staff.pk)
    assert line.what == "cpd_activity.drafted"


def test_adding_someone_twice_drafts_nothing_twice(world):
    workshop = offering(world)
    attend(world, workshop, [world.staff])

    again = attend(world, workshop, [world.staff, world.staff, world.lead])

    assert [d.person for d in again] == [world.lead]
    assert len(drafts(world, workshop)) == 2


def test_the_database_refuses_a_second_draft_of_one_offering_for_one_person(world):
    workshop = offering(world)
    (draft,) = attend(world, workshop, [world.staff])

    with program_scope(world.program), pytest.raises(IntegrityError), transaction.atomic():
        CpdActivity.objects.create(
            program=world.program,
            person=world.staff,
            offering=workshop,
            activity_type="workshop",
            title=draft.title,
            started_on=draft.started_on,
            ended_on=draft.ended_on,
            category="certified",
            status="draft",
        )


def test_attendees_are_people_of_the_program_added_once_it_has_taken_place(world):
    workshop = offering(world)
    with pytest.raises(ValidationError, match="Choose people of this program"):
        attend(world, workshop, [UserFactory()])

    ahead = offering(world, started_on=TODAY + timedelta(days=3))
    with pytest.raises(ValidationError, match="once the activity has taken place"):
        attend(world, ahead, [world.staff])
    assert drafts(world, ahead) == []


def test_a_confirmed_draft_counts_and_the_offering_says_so(world):
    workshop = offering(world)
    (draft,) = attend(world, workshop, [world.staff])
    with program_scope(world.program):
        services.activity_confirm(program=world.program, activity=draft, by=world.staff)
        listed = selectors.offering_list().get(pk=workshop.pk)

    assert (listed.attendees, listed.confirmed) == (1, 1)
