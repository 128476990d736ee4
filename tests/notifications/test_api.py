"""The notifications API: the caller's own notifications (anyone else's 404), marking read, and
the caller's settings per kind."""

import pytest

from psp.notifications.models import NotificationPreference
from psp.notifications.registry import Due
from psp.notifications.services import notify
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db


def api(world, path):
    return f"/api/v1/programs/{world.program.slug}/{path}"


def made_for(world, person, n: int):
    with program_scope(world.program):
        return notify(
            program=world.program,
            due=Due(
                kind="report_ready",
                key=f"report_ready:api:{person.pk}:{n}",
                title=f"Report {n} is ready",
                url=f"/p/{world.program.slug}/practices/{world.practice.pk}/",
                recipient_id=person.pk,
                practice_id=world.practice.pk,
            ),
        )


def unread_count(world, person) -> int:
    with program_scope(world.program):
        return ProgramMembership.objects.get(user=person).unread_notifications


def test_the_caller_lists_their_own_and_may_ask_for_the_unread(api_client, world, reminders):
    first, second = made_for(world, world.lead, 1), made_for(world, world.lead, 2)
    made_for(world, world.staff, 3)
    api_client.force_authenticate(world.lead)
    api_client.post(api(world, f"notifications/{first.pk}/read/"))

    everything = api_client.get(api(world, "notifications/")).json()
    unread = api_client.get(api(world, "notifications/"), {"unread": "true"}).json()
    refused = api_client.get(api(world, "notifications/"), {"unread": "perhaps"})

    assert [row["id"] for row in everything["results"]] == [second.pk, first.pk]
    assert [row["id"] for row in unread["results"]] == [second.pk]
    row = unread["results"][0]
    assert row["title"] == "Report 2 is ready"
    assert row["practice_name"] == world.practice.name
    assert row["is_unread"] is True and row["delivery"] == "app"
    assert refused.status_code == 400


def test_marking_read_one_and_all(api_client, world, reminders):
    first, _ = made_for(world, world.coach, 1), made_for(world, world.coach, 2)
    api_client.force_authenticate(world.coach)

    one = api_client.post(api(world, f"notifications/{first.pk}/read/"))
    after_one = unread_count(world, world.coach)
    everything = api_client.post(api(world, "notifications/read-all/"))

    assert one.status_code == 200 and one.json()["read_at"] is not None
    assert after_one == 1
    assert everything.json() == {"marked": 1}
    assert unread_count(world, world.coach) == 0


@pytest.mark.parametrize("action", ["", "read/"])
def test_another_persons_notification_is_not_found(api_client, world, reminders, action):
    theirs = made_for(world, world.staff, 1)
    api_client.force_authenticate(world.lead)

    path = api(world, f"notifications/{theirs.pk}/{action}")
    answer = api_client.post(path) if action else api_client.get(path)

    assert answer.status_code == 404
    assert unread_count(world, world.staff) == 1


def test_notifications_are_not_posted(api_client, world, reminders):
    api_client.force_authenticate(world.admin)
    answer = api_client.post(api(world, "notifications/"), {"title": "Made up"}, format="json")
    assert answer.status_code == 405


def test_preferences_list_each_kind_with_the_callers_delivery(api_client, world, reminders):
    with program_scope(world.program):
        NotificationPreference.objects.create(user=world.coach, kind="coach_note", delivery="app")
    api_client.force_authenticate(world.coach)

    rows = {
        row["kind"]: row for row in api_client.get(api(world, "notification-preferences/")).json()
    }

    assert set(rows) == {"practice_checkin", "coach_note", "report_ready"}
    assert rows["coach_note"]["delivery"] == "app" and rows["coach_note"]["is_default"] is False
    assert rows["coach_note"]["default"] == "digest"
    assert rows["practice_checkin"]["delivery"] == "immediate"
    assert rows["practice_checkin"]["description"] == "Each day, to the practice's lead and staff."


def test_patch_changes_the_kinds_named_and_put_resets_the_rest(api_client, world, reminders):
    api_client.force_authenticate(world.lead)
    path = api(world, "notification-preferences/")

    patched = api_client.patch(
        path,
        [
            {"kind": "practice_checkin", "delivery": "digest"},
            {"kind": "coach_note", "delivery": "app"},
        ],
        format="json",
    )
    put = api_client.put(path, [{"kind": "report_ready", "delivery": "immediate"}], format="json")

    assert patched.status_code == 200
    assert {r["kind"]: r["delivery"] for r in patched.json()}["practice_checkin"] == "digest"
    assert {r["kind"]: r["delivery"] for r in put.json()} == {
        "practice_checkin": "immediate",
        "coach_note": "digest",
        "report_ready": "immediate",
    }


@pytest.mark.parametrize(
    "body",
    [
        [{"kind": "invitee_nudge", "delivery": "app"}],  # email only: nothing to choose
        [{"kind": "no_such_kind", "delivery": "app"}],
        [{"kind": "coach_note", "delivery": "pigeon"}],
        {"coach_note": "app"},
    ],
)
def test_a_bad_choice_is_refused_and_changes_nothing(api_client, world, reminders, body):
    api_client.force_authenticate(world.lead)

    answer = api_client.patch(api(world, "notification-preferences/"), body, format="json")

    assert answer.status_code == 400
    with program_scope(world.program):
        assert not NotificationPreference.objects.exists()
