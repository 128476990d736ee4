"""Drafting a CPD claim from QI work: a goal (hours from the visits logged on it, the scheme's
category for practice audits, the reflection written from what was done), a PDSA cycle, an
audit; once only; never for work out of reach or not done; counted only once confirmed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cpd.activities import services
from cpd.claims.selectors import SourceOutOfReach, claim_sources_for
from cpd.models import ActivityStatus, CpdActivity
from cpd.progress.selectors import cycle_progress
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.cpd.claims.conftest import TODAY
from tests.cpd.claims.helpers import draft

pytestmark = pytest.mark.django_db


def test_a_claim_from_an_achieved_goal_is_a_draft_filled_in_from_the_work(world, qi):
    activity, drafted = draft(world, world.lead, "goal", qi.goal.pk)

    assert drafted
    assert (activity.status, activity.source, activity.source_id) == ("draft", "goal", qi.goal.pk)
    assert activity.person == world.lead and activity.practice == world.practice
    assert activity.activity_type == "practice_audit"
    assert activity.title == "Quality improvement: Fewer missed appointments"
    assert activity.provider == world.program.name
    # The two logged visits (90 + 45 minutes); the cancelled one does not count.
    assert activity.hours == Decimal("2.25")
    # From the first visit to the day it was marked achieved.
    assert (activity.started_on, activity.ended_on) == (TODAY - timedelta(days=40), TODAY)
    # The scheme credits practice audits 3 an hour, in "assessment".
    assert (activity.category, activity.credits) == ("assessment", Decimal("6.75"))
    found = activity.reflection["found"]
    assert "Fewer missed appointments" in found and "Team roles" in found
    first_visit = TODAY - timedelta(days=40)
    assert f"{first_visit.day} {first_visit:%b %Y}" in found
    assert activity.reflection["change"] == "Actions done:\n- Text reminders\n- Call-back list"
    assert "no show rate" in activity.reflection["reaudit"]


def test_the_draft_has_a_line_of_history(world, qi):
    activity, _ = draft(world, world.lead, "goal", qi.goal.pk)
    with program_scope(world.program):
        (line,) = ChangeRecord.objects.filter(
            subject_type=SubjectType.CPD_ACTIVITY, subject_id=activity.pk
        )
    assert line.what == "cpd_activity.drafted" and line.changed_by == world.lead
    assert "Fewer missed appointments" in line.summary


def test_drafting_twice_returns_the_first_draft(world, qi):
    first, _ = draft(world, world.lead, "goal", qi.goal.pk)
    again, drafted = draft(world, world.lead, "goal", qi.goal.pk)

    assert again.pk == first.pk and not drafted
    with program_scope(world.program):
        assert CpdActivity.objects.filter(source="goal", source_id=qi.goal.pk).count() == 1


def test_each_person_of_the_practice_drafts_their_own(world, qi):
    lead, _ = draft(world, world.lead, "goal", qi.goal.pk)
    staff, _ = draft(world, world.staff, "goal", qi.goal.pk)
    coach, _ = draft(world, world.coach, "goal", qi.goal.pk)  # logged the visits on it

    assert len({lead.pk, staff.pk, coach.pk}) == 3
    assert coach.cycle is None and coach.credits == 0  # no scheme applies to coaches here


def test_a_claim_from_a_pdsa_cycle_carries_its_plan_do_study_act(world, qi):
    activity, _ = draft(world, world.staff, "pdsa", qi.cycle.pk)

    change = "Text reminders two days before each appointment"
    assert activity.title == f"PDSA cycle {qi.cycle.number}: {change}"
    assert (activity.started_on, activity.ended_on) == (
        TODAY - timedelta(days=35),
        TODAY - timedelta(days=14),
    )
    found = activity.reflection["found"]
    assert "We predicted: Missed appointments fall" in found
    assert "Do: Sent reminders for two weeks." in found
    assert "Study: Missed appointments fell to 7%." in found
    act = "Act: Adopt. Reminders for every appointment from now on."
    assert activity.reflection["change"] == act
    # Its time is the person's to give (its visits are its goal's).
    assert (activity.hours, activity.category, activity.credits) == (0, "assessment", 0)


def test_a_claim_from_an_audit_the_person_answered(world, qi):
    activity, _ = draft(world, world.lead, "audit", qi.audit.pk)

    assert activity.title.startswith("Practice audit: ")
    assert activity.ended_on == TODAY - timedelta(days=60)
    assert "62" in activity.reflection["found"] and "48" in activity.reflection["found"]


@pytest.mark.parametrize(
    ("who", "source", "reason"),
    [
        ("staff", "audit", "answered the assessment"),  # the staff member did not answer it
        ("other_coach", "goal", None),  # another practice's coach: out of reach
    ],
)
def test_only_those_who_took_part_may_claim(world, qi, who, source, reason):
    subject = qi.audit if source == "audit" else qi.goal
    if reason is None:
        with pytest.raises(SourceOutOfReach):
            draft(world, world.user(who), source, subject.pk)
        return
    with pytest.raises(PermissionDenied) as error:
        draft(world, world.user(who), source, subject.pk)
    assert reason in str(error.value)


def test_an_admin_sees_the_goal_but_did_not_work_on_it(world, qi):
    with pytest.raises(PermissionDenied) as error:
        draft(world, world.admin, "goal", qi.goal.pk)
    assert "Only the people of the goal's practice" in str(error.value)


def test_a_goal_still_open_is_not_claimed_yet(world, qi):
    with program_scope(world.program):
        open_goal = f.PlanGoalFactory(program=world.program, plan=qi.goal.plan)
    with pytest.raises(ValidationError) as error:
        draft(world, world.lead, "goal", open_goal.pk)
    assert "claim it once it is achieved" in str(error.value)


def test_another_practices_goal_is_out_of_reach(world, qi):
    with pytest.raises(SourceOutOfReach):
        draft(world, world.lead, "goal", qi.others.pk)


def test_another_programs_goal_is_out_of_reach(world, other_world, qi):
    from tests.cpd.claims.conftest import achieved_goal

    theirs = achieved_goal(other_world, other_world.practice, title="Theirs", by=other_world.lead)
    with pytest.raises(SourceOutOfReach):
        draft(world, world.lead, "goal", theirs.pk)
    with program_scope(world.program):
        assert not CpdActivity.objects.exists()


def test_a_draft_counts_only_once_confirmed(world, qi):
    activity, _ = draft(world, world.lead, "goal", qi.goal.pk)
    with program_scope(world.program):
        before = cycle_progress(cycle=activity.cycle, today=TODAY)
        services.activity_confirm(program=world.program, activity=activity, by=world.lead)
        after = cycle_progress(cycle=activity.cycle, today=TODAY)
    assert before.earned == 0
    assert after.earned == Decimal("6.75")


def test_a_draft_without_hours_is_completed_before_it_is_confirmed(world, qi):
    activity, _ = draft(world, world.staff, "pdsa", qi.cycle.pk)
    with program_scope(world.program), pytest.raises(ValidationError) as error:
        services.activity_confirm(program=world.program, activity=activity, by=world.staff)
    assert "Give the hours" in str(error.value)
    with program_scope(world.program):
        services.activity_update(
            program=world.program, activity=activity, by=world.staff, data={"hours": "2"}
        )
        confirmed = services.activity_confirm(
            program=world.program, activity=activity, by=world.staff
        )
    assert (confirmed.status, confirmed.credits) == (ActivityStatus.SELF_REPORTED, Decimal("6.00"))


def test_the_sources_a_person_may_claim_are_listed_with_their_drafts(world, qi):
    goal_draft, _ = draft(world, world.lead, "goal", qi.goal.pk)
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.lead)
        sources = claim_sources_for(access=access)
    listed = {(s.kind, s.source_id): s.activity_id for s in sources}
    assert listed == {
        ("goal", qi.goal.pk): goal_draft.pk,
        ("pdsa", qi.cycle.pk): None,
        ("audit", qi.audit.pk): None,
    }
