"""Recording one's own CPD: the cycle and credits come from the person's scheme, the category is
checked against its rules, bad input is named by field and saves nothing, someone with no scheme
still records, and edits, drafts and deletions follow the activity's status."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cpd.activities import services
from cpd.models import CpdActivity, CpdCycle
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import TODAY, fresh, history, record
from tests.cpd.rules_examples import family
from tests.cpd.scheme_factories import add_version

pytestmark = pytest.mark.django_db


def count(world) -> int:
    with program_scope(world.program):
        return CpdActivity.objects.count()


def test_a_recorded_workshop_falls_in_the_persons_cycle_with_its_credits(world):
    activity = record(world, world.staff, hours="3.5")

    with program_scope(world.program):
        cycle = CpdCycle.objects.get(person=world.staff)
    assert activity.cycle == cycle
    assert cycle.starts_on <= activity.ended_on <= cycle.ends_on
    assert cycle.starts_on.month == 7 and cycle.starts_on.day == 1
    assert (activity.credits, activity.category, activity.status) == (
        Decimal("3.50"),
        "certified",
        "self_reported",
    )
    assert activity.practice == world.practice
    assert activity.reflection == {"learned": "Taper plans need a review date."}


def test_reading_is_credited_per_item_in_its_own_category(world):
    activity = record(world, world.lead, activity_type="reading", hours="", items=6, reflection={})

    assert (activity.credits, activity.category, activity.items) == (
        Decimal("3.00"),
        "self-directed",
        6,
    )


def test_a_type_credited_per_item_needs_the_items(world):
    with pytest.raises(ValidationError) as error:
        record(world, world.staff, activity_type="reading", items=None, reflection={})

    assert "per item" in error.value.message_dict["items"][0]
    assert count(world) == 0


def test_the_person_may_choose_another_category_of_their_scheme(world):
    activity = record(world, world.staff, category="assessment")

    assert activity.category == "assessment"


def test_a_category_the_scheme_does_not_have_is_refused_by_name(world):
    with pytest.raises(ValidationError) as error:
        record(world, world.staff, category="ethics")

    message = error.value.message_dict["category"][0]
    assert "“ethics” is not a category of your scheme" in message
    assert "certified, self-directed, assessment" in message
    assert count(world) == 0


def test_a_type_without_a_credit_rule_earns_nothing_but_needs_a_category(world):
    with pytest.raises(ValidationError) as error:
        record(world, world.staff, activity_type="seminar", reflection={})
    assert error.value.message_dict["category"] == ["Choose the category it counts towards."]

    activity = record(
        world, world.staff, activity_type="seminar", category="self-directed", reflection={}
    )
    assert (activity.credits, activity.category) == (Decimal("0.00"), "self-directed")


def test_every_bad_field_is_named_at_once_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as error:
        record(
            world,
            world.staff,
            title="  ",
            started_on=TODAY - timedelta(days=2),
            ended_on=TODAY - timedelta(days=5),
            hours="-1",
            reflection={"learned": "x" * 4001, "sessions": "Not asked of a workshop"},
        )

    problems = error.value.message_dict
    assert problems["title"] == ["This field is required."]
    assert problems["ended_on"] == ["The activity ends before it starts."]
    assert problems["hours"] == ["Hours cannot be negative."]
    assert "At most 4000 characters" in problems["reflection.learned"][0]
    assert "does not ask that" in problems["reflection.sessions"][0]
    assert count(world) == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ended_on": TODAY + timedelta(days=1)}, "ended_on", "This date is in the future"),
        ({"hours": "1.125"}, "hours", "at most two decimal places"),
        ({"hours": "25"}, "hours", "More hours than the 1 day(s)"),
        ({"hours": "lots"}, "hours", "Enter a number"),
        ({"hours": "0"}, "hours", "Give the hours it took."),
        ({"started_on": date(1999, 12, 31), "ended_on": None}, "started_on", "from 2000"),
        ({"activity_type": "hobby"}, "activity_type", "Choose the type of activity."),
    ],
)
def test_hours_and_dates_are_checked_with_a_message_beside_them(world, changes, field, message):
    with pytest.raises(ValidationError) as error:
        record(world, world.staff, **changes)

    assert message in error.value.message_dict[field][0]
    assert count(world) == 0


def test_someone_no_scheme_applies_to_records_with_no_cycle_and_no_credits(world):
    activity = record(world, world.coach, category="certified")

    assert (activity.cycle, activity.credits, activity.category) == (None, Decimal("0.00"), "")
    assert activity.practice is None
    (line,) = history(world, activity)
    assert "no scheme applies to it" in line.summary
    assert line.practice_id == 0


def test_recording_writes_a_history_line_with_who_and_what(world):
    activity = record(world, world.staff, submit=True)

    (line,) = history(world, activity)
    assert line.what == "cpd_activity.recorded"
    assert line.changed_by == world.staff
    assert line.practice_id == world.practice.pk
    assert "submitted for verification" in line.summary
    assert line.changes["status"] == [None, "submitted"]
    assert activity.status == "submitted" and activity.submitted_at is not None


def test_a_rule_change_after_the_cycle_started_leaves_its_credits_alone(cpd_world):
    world = cpd_world.world
    first = record(world, world.staff)
    add_version(cpd_world.scheme, family(credit_rules__0__rate=2), note="Workshops count double")

    second = record(world, world.staff, title="Chronic pain update")

    assert second.cycle == first.cycle
    assert second.credits == first.credits == Decimal("3.00")


# Editing ----------------------------------------------------------------------------------------


def test_editing_works_credits_out_again_and_names_the_changes(world):
    activity = record(world, world.staff)
    with program_scope(world.program):
        services.activity_update(
            program=world.program, activity=activity, by=world.staff, data={"hours": "4"}
        )

    assert fresh(world, activity).credits == Decimal("4.00")
    line = history(world, activity)[-1]
    assert line.what == "cpd_activity.edited"
    assert line.changes["credits"] == ["3.00", "4.00"]
    assert "hours 3.00 → 4" in line.summary


def test_nobody_edits_someone_elses_activity(world):
    activity = record(world, world.staff)

    with program_scope(world.program), pytest.raises(PermissionDenied):
        services.activity_update(
            program=world.program, activity=activity, by=world.lead, data={"hours": "9"}
        )
    assert fresh(world, activity).hours == Decimal("3.00")


@pytest.mark.parametrize("status", ["submitted", "verified"])
def test_an_activity_sent_or_verified_is_no_longer_edited(world, status):
    activity = record(world, world.staff)
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=activity.pk).update(status=status)
        with pytest.raises(ValidationError, match="can no longer be changed"):
            services.activity_update(
                program=world.program, activity=activity, by=world.staff, data={"hours": "9"}
            )


def test_deleting_a_self_reported_activity_keeps_a_line_of_history(world):
    activity = record(world, world.staff)
    with program_scope(world.program):
        services.activity_delete(program=world.program, activity=activity, by=world.staff)

    assert count(world) == 0
    assert history(world, activity)[-1].what == "cpd_activity.deleted"


def test_a_submitted_activity_is_not_deleted(world):
    activity = record(world, world.staff, submit=True)
    with program_scope(world.program), pytest.raises(ValidationError, match="kept as the record"):
        services.activity_delete(program=world.program, activity=activity, by=world.staff)
    assert count(world) == 1


def test_a_rewritten_reflection_is_named_by_its_question(world):
    activity = record(world, world.staff)
    with program_scope(world.program):
        services.activity_update(
            program=world.program,
            activity=activity,
            by=world.staff,
            data={"reflection": {"learned": "Review dates.", "change": "Taper plans for all."}},
        )

    line = history(world, activity)[-1]
    assert line.summary == "Edited: reflection rewritten."
    assert line.changes == {
        "reflection: What did I learn?": ["Taper plans need a review date.", "Review dates."],
        "reflection: What will I change in my practice?": [None, "Taper plans for all."],
    }
