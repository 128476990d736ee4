"""The CPD pages: My CPD, recording (the category among the person's scheme's, the type's
reflection questions), an activity's page, who reads whose activities, and program activities."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cpd.activities import services
from cpd.models import CpdActivity, CpdOffering
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import TODAY, fresh, record
from tests.factories import MembershipFactory, PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"cpd:{name}", kwargs={"program": world.program.slug, **kwargs})


def form_data(**changes) -> dict:
    return {
        "activity_type": "workshop",
        "shown_type": "workshop",
        "title": "Managing chronic pain",
        "provider": "North PSP",
        "started_on": (TODAY - timedelta(days=3)).isoformat(),
        "ended_on": "",
        "hours": "2.5",
        "category": "",
        "reflection_learned": "Set a review date for every taper.",
        "reflection_change": "",
        "reflection_measure": "",
    } | changes


def activities(world):
    with program_scope(world.program):
        return list(CpdActivity.objects.order_by("pk"))


# My CPD and recording -----------------------------------------------------------------------


def test_my_cpd_shows_drafts_to_confirm_on_top_and_the_rest_by_cycle(client, world):
    record(world, world.staff, title="Safer opioid prescribing", submit=True)
    draft = record(world, world.staff, title="PSP workshop on recalls")
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=draft.pk).update(status="draft")
    client.force_login(world.staff)

    page = client.get(url(world, "mine")).content.decode()

    assert page.index("To confirm (1)") < page.index("PSP workshop on recalls")
    assert page.index("PSP workshop on recalls") < page.index("Safer opioid prescribing")
    assert "Family Medicine: cycle" in page
    assert "Submitted for verification" in page
    assert url(world, "confirm", pk=draft.pk) in page
    assert url(world, "record") in page


def test_someone_no_scheme_applies_to_is_told_and_can_still_record(client, world):
    client.force_login(world.coach)

    assert "No CPD scheme applies to you" in client.get(url(world, "mine")).content.decode()
    form = client.get(url(world, "record"))
    assert "category" not in form.context["form"].fields
    response = client.post(url(world, "record"), form_data())

    (activity,) = activities(world)
    assert response.status_code == 302
    assert (activity.person, activity.cycle, activity.credits) == (world.coach, None, 0)


def test_the_form_offers_the_schemes_categories_and_the_types_questions(client, world):
    client.force_login(world.staff)

    form = client.get(url(world, "record")).context["form"]
    assert [key for key, _ in form.fields["category"].choices] == [
        "",
        "certified",
        "self-directed",
        "assessment",
    ]
    assert "As your scheme counts it (Certified)" in form.fields["category"].choices[0][1]
    assert [f.label for f in form.reflection_fields()] == [
        "What did I learn?",
        "What will I change in my practice?",
        "How will I know it worked?",
    ]
    assert "items" not in form.fields

    # Choosing reading redraws the fields below the type, keeping what was typed.
    page = client.get(
        url(world, "record"),
        {"activity_type": "reading", "title": "BMJ review of deprescribing"},
        headers={"HX-Request": "true"},
    )
    reading = page.context["form"]
    assert reading.fields["items"].required
    assert [f.label for f in reading.reflection_fields()] == [
        "What did I take from it?",
        "Does it apply to my practice?",
    ]
    assert 'value="BMJ review of deprescribing"' in page.content.decode()


def test_a_recorded_activity_opens_with_its_credits(client, world):
    client.force_login(world.staff)

    response = client.post(url(world, "record"), form_data(), follow=True)

    (activity,) = activities(world)
    assert response.redirect_chain[-1][0] == activity.get_absolute_url()
    page = response.content.decode()
    assert "“Managing chronic pain” is recorded: 2.50 credits." in page
    assert "Set a review date for every taper." in page
    assert (activity.category, activity.status) == ("certified", "self_reported")


def test_save_and_submit_sends_it_for_verification(client, world):
    client.force_login(world.staff)

    client.post(url(world, "record"), form_data(submit="1"))

    (activity,) = activities(world)
    assert activity.status == "submitted"


def test_bad_input_is_named_beside_its_field_and_nothing_is_saved(client, world):
    client.force_login(world.staff)

    page = client.post(
        url(world, "record"),
        form_data(ended_on=(TODAY + timedelta(days=2)).isoformat(), hours="0"),
    )

    assert page.status_code == 200
    form = page.context["form"]
    assert "in the future" in form.errors["ended_on"][0]
    assert activities(world) == []


def test_changing_the_type_without_javascript_shows_its_questions_before_saving(client, world):
    client.force_login(world.staff)

    page = client.post(url(world, "record"), form_data(activity_type="practice_audit"))

    assert activities(world) == []
    form = page.context["form"]
    assert "its questions are below now" in form.non_field_errors()[0]
    assert "What did the audit find?" in page.content.decode()


def test_editing_a_rejected_activity_shows_the_reason_and_makes_it_a_draft(client, world):
    activity = record(world, world.staff, submit=True)
    with program_scope(world.program):
        services.activity_reject(
            program=world.program, activity=activity, by=world.admin, reason="Hours missing."
        )
    client.force_login(world.staff)
    edit = url(world, "edit", pk=activity.pk)

    assert "Hours missing." in client.get(edit).content.decode()
    client.post(edit, form_data(title="Safer opioid prescribing", hours="3"))

    assert fresh(world, activity).status == "draft"


def test_a_verified_activity_is_no_longer_edited(client, world):
    activity = record(world, world.staff)
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=activity.pk).update(status="verified")
    client.force_login(world.staff)

    response = client.post(url(world, "edit", pk=activity.pk), form_data(hours="9"), follow=True)

    assert "it can no longer be changed" in response.content.decode()
    assert fresh(world, activity).hours == 3


# Who reads whose activities ---------------------------------------------------------------------


@pytest.fixture
def colleague(world):
    person = UserFactory(email="colleague@north-psp.example.org", full_name="Colin Colleague")
    MembershipFactory(program=world.program, user=person, role="practice")
    PracticeMembershipFactory(
        program=world.program, practice=world.practice, user=person, role="staff"
    )
    return person


def test_a_staff_member_cannot_read_a_colleagues_activity_but_the_lead_can(
    client, world, colleague
):
    activity = record(world, world.staff)
    detail = activity.get_absolute_url()

    client.force_login(colleague)
    assert client.get(detail).status_code == 404

    client.force_login(world.lead)
    page = client.get(detail)
    assert page.status_code == 200
    assert url(world, "edit", pk=activity.pk) not in page.content.decode()
    assert client.post(url(world, "submit", pk=activity.pk)).status_code == 403
    assert fresh(world, activity).status == "self_reported"


def test_a_lead_reads_their_practices_people_from_the_people_page(client, world):
    record(world, world.staff, title="Safer opioid prescribing")
    client.force_login(world.lead)
    with program_scope(world.program):
        membership = world.staff.program_memberships.get()
        others = world.coach.program_memberships.get()

    people = client.get(url(world, "people")).content.decode()
    person = client.get(url(world, "person", pk=membership.pk)).content.decode()

    assert url(world, "person", pk=membership.pk) in people
    assert url(world, "person", pk=others.pk) not in people
    assert "Safer opioid prescribing" in person
    assert client.get(url(world, "person", pk=others.pk)).status_code == 404


def test_another_programs_member_gets_404_for_the_activity(client, world, other_world):
    activity = record(world, world.staff)
    client.force_login(other_world.admin)

    assert client.get(activity.get_absolute_url()).status_code == 404
    assert client.get(url(world, "mine")).status_code == 404


def test_the_activity_page_lists_its_history(client, world):
    activity = record(world, world.staff, submit=True)
    client.force_login(world.staff)

    page = client.get(activity.get_absolute_url()).content.decode()

    assert "Recorded and submitted for verification: Safer opioid prescribing" in page


# Program activities ------------------------------------------------------------------------------


def test_an_admin_creates_a_program_activity_and_adds_attendees_once(client, world):
    client.force_login(world.admin)
    response = client.post(
        url(world, "offering_new"),
        {
            "title": "PSP workshop: recalls that work",
            "activity_type": "workshop",
            "provider": "North PSP",
            "started_on": (TODAY - timedelta(days=2)).isoformat(),
            "hours": "2",
            "category": "certified",
        },
    )
    with program_scope(world.program):
        created = CpdOffering.objects.get()
    assert response["Location"] == created.get_absolute_url()

    attendees = url(world, "offering_attendees", pk=created.pk)
    client.post(attendees, {"people": [world.staff.pk, world.lead.pk]})
    form = client.get(attendees).context["form"]

    assert {a.person for a in activities(world)} == {world.staff, world.lead}
    assert world.staff.pk not in [int(k) for k, _ in form.fields["people"].choices]
    page = client.get(created.get_absolute_url()).content.decode()
    assert "Attendees (2)" in page


def test_staff_cannot_open_program_activities(client, world):
    client.force_login(world.staff)

    assert client.get(url(world, "offerings")).status_code == 403
    assert client.get(url(world, "offering_new")).status_code == 403
