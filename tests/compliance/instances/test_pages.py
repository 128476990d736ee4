"""A checklist's pages: answering each kind of item (htmx and plain posts), problems beside the
field, files before the answer, the sign-off by role (the lead, or the person the practice
named; never other staff), a signed-off checklist refusing changes, corrections as new
revisions, a failed item made an action linked both ways, and the practice's list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import PlanAction
from compliance.models import ChecklistInstance, ItemResponse, PracticeDesignation
from psp.tenancy.scope import program_scope
from tests.compliance.instances.helpers import (
    answer,
    attach,
    complete,
    make_checklist,
    reload,
    sign,
)
from tests.evidence.subjects import pdf_bytes, upload
from tests.factories import PlanGoalFactory, SupportPlanFactory

pytestmark = pytest.mark.django_db


def url(world, name, instance, item=None):
    kwargs = {"program": world.program.slug, "pk": instance.pk}
    if item is not None:
        kwargs["checklistitem_pk"] = item.pk
    return reverse(f"compliance:{name}", kwargs=kwargs)


def saved(world, instance, item):
    with program_scope(world.program):
        return ItemResponse.objects.filter(instance=instance, item=item).first()


@pytest.fixture
def checklist(world):
    return make_checklist(world)


@pytest.mark.parametrize(
    ("index", "data", "shown"),
    [
        (0, {"choice": "done"}, "Done"),
        (1, {"choice": "no"}, "No"),
        (2, {"value_date": "2 Mar 2026"}, "2 Mar 2026"),
        (3, {"value_number": "7"}, "7"),
        (4, {"value_text": "Dana Reyes"}, "Dana Reyes"),
        (3, {"not_applicable": "on", "na_reason": "Nobody was trained yet."}, "not applicable"),
    ],
)
def test_each_kind_of_item_is_answered_and_saved_as_it_goes(
    client, world, checklist, index, data, shown
):
    instance, items = checklist
    client.force_login(world.staff)

    response = client.post(url(world, "item", instance, items[index]), data)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{items[index].pk}")
    row = saved(world, instance, items[index])
    assert row is not None and row.answered_by == world.staff
    assert reload(world, instance).status == "in_progress"
    sign_off = client.get(url(world, "history", instance)).content.decode()
    assert shown in sign_off


def test_htmx_gets_the_item_back_with_the_progress_out_of_band(client, world, checklist):
    instance, items = checklist
    client.force_login(world.staff)

    response = client.post(
        url(world, "item", instance, items[1]), {"choice": "yes"}, headers={"HX-Request": "true"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert f'id="item-{items[1].pk}"' in text
    assert "Saved." in text and "Not met" in text
    assert 'id="checklist-progress"' in text and 'hx-swap-oob="true"' in text
    assert "1 of 5 answered, 1 needs evidence" in text


@pytest.mark.parametrize(
    ("index", "data", "message"),
    [
        (0, {"choice": "na"}, "Say why this item does not apply."),
        (0, {"choice": "maybe"}, "Select a valid choice"),
        (2, {"value_date": "31 Feb 2026"}, "date"),
        (3, {"value_number": "twelve"}, "Enter a number, e.g. 12 or 3.5."),
    ],
)
def test_a_bad_answer_is_shown_beside_its_field_and_saves_nothing(
    client, world, checklist, index, data, message
):
    instance, items = checklist
    client.force_login(world.lead)

    response = client.post(url(world, "item", instance, items[index]), data)

    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert "form-field--invalid" in text
    assert saved(world, instance, items[index]) is None
    assert reload(world, instance).status == "open"


def test_a_file_before_the_answer_makes_the_answer_row_and_the_item_stops_needing_it(
    client, world, checklist
):
    instance, items = checklist
    client.force_login(world.staff)

    response = client.post(
        url(world, "item_evidence", instance, items[0]),
        {"files": upload("notice.pdf", pdf_bytes()), "label": "Photo"},
        headers={"HX-Request": "true"},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Added notice.pdf." in text and "notice.pdf" in text
    assert "0 of 5 answered" in text and "needs evidence" not in text
    row = saved(world, instance, items[0])
    assert row.outcome == ""


def test_a_refused_file_is_named_beside_the_field(client, world, checklist):
    instance, items = checklist
    client.force_login(world.staff)

    response = client.post(
        url(world, "item_evidence", instance, items[0]),
        {"files": upload("notes.txt", b"just text"), "label": "Photo"},
    )

    assert response.status_code == 200
    assert "notes.txt" in response.content.decode()
    assert saved(world, instance, items[0]) is None


def test_a_coach_reads_the_checklist_without_forms(client, world, checklist):
    instance, items = checklist
    answer(world, instance, items[0], choice="done")
    client.force_login(world.coach)

    text = client.get(url(world, "checklist", instance)).content.decode()

    assert "The privacy notice is displayed" in text and "Done" in text
    assert url(world, "item", instance, items[0]) not in text
    assert "the practice's people answer it" in text


def test_staff_cannot_sign_and_the_lead_signs_it_off(client, world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    body = {"attester": "lead", "signed_name": "Lee Lead", "agreed": "on"}

    client.force_login(world.staff)
    page = client.get(url(world, "checklist", instance)).content.decode()
    refused = client.post(url(world, "attest", instance), body)
    client.force_login(world.lead)
    lead_page = client.get(url(world, "checklist", instance)).content.decode()
    signed = client.post(url(world, "attest", instance), body)

    assert "Sign off as practice lead" not in page and "Waiting for the signature" in page
    assert refused.status_code == 403
    assert "Sign off as practice lead" in lead_page
    assert signed.status_code == 302
    assert reload(world, instance).status == "attested"
    text = client.get(signed["Location"]).content.decode()
    assert "Lee Lead" in text and "practice lead" in text and "I confirm that the answers" in text


def test_signing_without_the_statement_is_refused_beside_it(client, world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    client.force_login(world.lead)

    response = client.post(url(world, "attest", instance), {"attester": "lead", "signed_name": ""})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Type your full name to sign." in text and "Tick the statement" in text
    assert reload(world, instance).status == "completed"


def test_the_person_named_for_a_role_signs_for_it(client, world, checklist):
    instance, items = checklist
    with program_scope(world.program):
        items[4].attester = "privacy_officer"
        items[4].save()
        PracticeDesignation.objects.create(
            program=world.program,
            practice=world.practice,
            attester="privacy_officer",
            user=world.staff,
        )
    complete(world, instance, items)
    sign(world, instance)  # the lead, for the lead's items
    client.force_login(world.staff)

    page = client.get(url(world, "checklist", instance)).content.decode()
    response = client.post(
        url(world, "attest", instance),
        {"attester": "privacy_officer", "signed_name": "Sam Staff", "agreed": "on"},
    )

    assert "Sign off as privacy officer" in page
    assert response.status_code == 302
    assert reload(world, instance).status == "attested"


def test_a_signed_off_checklist_refuses_answers_and_files(client, world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance)
    client.force_login(world.lead)

    answered = client.post(url(world, "item", instance, items[0]), {"choice": "not_done"})
    filed = client.post(
        url(world, "item_evidence", instance, items[1]),
        {"files": upload("late.pdf", pdf_bytes("late")), "label": "Photo"},
        follow=True,
    )
    page = client.get(url(world, "checklist", instance)).content.decode()

    assert answered.status_code == 302
    assert saved(world, instance, items[0]).choice == "done"
    assert "stay as they were signed" in filed.content.decode()
    assert saved(world, instance, items[1]).pk and "late.pdf" not in page
    assert url(world, "item", instance, items[0]) not in page


def test_a_correction_is_a_new_revision_linked_both_ways(client, world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance)
    client.force_login(world.staff)
    assert client.get(url(world, "correct", instance)).status_code == 403
    client.force_login(world.lead)

    response = client.post(url(world, "correct", instance), {"reason": "Wrong training date."})

    with program_scope(world.program):
        correction = ChecklistInstance.objects.get(supersedes=instance)
    assert response["Location"] == correction.get_absolute_url()
    new = client.get(correction.get_absolute_url()).content.decode()
    old = client.get(instance.get_absolute_url()).content.decode()
    assert "Wrong training date." in new and instance.get_absolute_url() in new
    # Its answers copied (and its files counted from the signed one): ready to correct and sign.
    assert "Completed, awaiting sign-off" in new and url(world, "item", correction, items[2]) in new
    assert correction.get_absolute_url() in old and "revision 2" in old
    assert reload(world, instance).status == "superseded"


def test_a_correction_needs_its_reason(client, world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance)
    client.force_login(world.admin)

    response = client.post(url(world, "correct", instance), {"reason": " "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert reload(world, instance).status == "attested"


def test_a_failed_item_becomes_a_standalone_action_linked_both_ways(client, world, checklist):
    instance, items = checklist
    answer(world, instance, items[0], choice="not_done")
    client.force_login(world.lead)
    page = client.get(url(world, "checklist", instance)).content.decode()

    response = client.post(
        url(world, "item_action", instance, items[0]),
        {"title": "Put the notice up again", "owner": world.staff.pk, "due_on": "2 Feb 2026"},
    )

    assert "Make this an action" in page and "Fix: The privacy notice" in page
    assert response.status_code == 302
    with program_scope(world.program):
        action = PlanAction.objects.get()
    assert (action.plan_id, action.owner, action.title) == (None, world.staff, action.title)
    checklist_page = client.get(url(world, "checklist", instance)).content.decode()
    action_url = reverse("actions:detail", kwargs={"program": world.program.slug, "pk": action.pk})
    assert "Action: " in checklist_page and action_url in checklist_page
    action_page = client.get(action_url).content.decode()
    assert "From checklist" in action_page and f"#item-{items[0].pk}" in action_page
    assert "was not met" in action_page  # its history says where it came from
    history = client.get(url(world, "history", instance)).content.decode()
    assert "became the action" in history


def test_a_failed_item_goes_under_a_goal_of_the_practices_plan(client, world, checklist):
    instance, items = checklist
    with program_scope(world.program):
        plan = SupportPlanFactory(program=world.program, practice=world.practice)
        goal = PlanGoalFactory(program=world.program, plan=plan, title="Privacy in order")
    answer(world, instance, items[1], choice="yes")
    client.force_login(world.coach)
    target = url(world, "item_action", instance, items[1])

    missing = client.post(target, {"title": "Lock the records room"})
    done = client.post(target, {"title": "Lock the records room", "goal": goal.pk})

    assert missing.status_code == 200 and "This field is required." in missing.content.decode()
    assert done.status_code == 302
    with program_scope(world.program):
        action = PlanAction.objects.get()
    assert (action.plan_id, action.goal_id) == (plan.pk, goal.pk)


def test_staff_may_not_make_an_action(client, world, checklist):
    instance, items = checklist
    answer(world, instance, items[0], choice="not_done")
    client.force_login(world.staff)

    page = client.get(url(world, "checklist", instance)).content.decode()
    response = client.post(url(world, "item_action", instance, items[0]), {"title": "Fix it"})

    assert "Make this an action" not in page
    assert response.status_code == 403


def test_the_practice_lists_open_then_signed_then_corrected_checklists(client, world):
    late, late_items = make_checklist(world, name="Records audit")
    with program_scope(world.program):
        ChecklistInstance.objects.filter(pk=late.pk).update(due_on="2026-01-10")
    signed, signed_items = make_checklist(world, name="Infection control")
    complete(world, signed, signed_items)
    sign(world, signed)
    client.force_login(world.coach)
    practice_page = client.get(world.practice.get_absolute_url()).content.decode()
    checklists_url = reverse(
        "compliance:practice",
        kwargs={"program": world.program.slug, "practice_pk": world.practice.pk},
    )

    text = client.get(checklists_url).content.decode()

    assert checklists_url in practice_page
    to_do, done = text.split('id="done-title"')
    assert "Records audit" in to_do and "Overdue by" in to_do
    assert "Infection control" in done and f"Signed by {world.lead.full_name}" in done


def _worked(world, size: int, name: str):
    """A checklist of `size` items, one failed and the rest done, every other one with a file."""
    instance, items = make_checklist(world, items=[("done", f"Item {n}") for n in range(size)],
                                     name=name)  # fmt: skip
    answer(world, instance, items[0], choice="not_done")
    for position, item in enumerate(items[1:]):
        answer(world, instance, item, choice="done")
        if position % 2 == 0:
            attach(world, instance, item, name=f"{item.pk}.pdf")
    return instance


@pytest.mark.parametrize("role", ["lead", "coach"])
def test_the_checklist_page_costs_the_same_whatever_its_size(client, world, role):
    small, large = _worked(world, 2, "Short one"), _worked(world, 14, "Long one")
    client.force_login(world.user(role))
    client.get(url(world, "checklist", small))  # the session, as every later page finds it

    counts = []
    for instance in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(world, "checklist", instance)).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1], counts
    print(f"checklist page as {role}: {counts} queries (2 and 14 items)")


def test_a_practices_checklists_cost_the_same_whatever_their_number(client, world):
    client.force_login(world.lead)
    page = reverse(
        "compliance:practice",
        kwargs={"program": world.program.slug, "practice_pk": world.practice.pk},
    )
    client.get(page)  # the session, as every later page finds it
    counts = []
    for batch in (2, 8):
        for n in range(batch):
            instance, items = make_checklist(world, name=f"Checklist {batch}-{n}")
            if n % 2:
                complete(world, instance, items)
                sign(world, instance)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    print(f"a practice's checklists: {counts} queries (2 and 10 checklists)")
