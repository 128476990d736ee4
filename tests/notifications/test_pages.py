"""The notification centre and settings pages, and the header's unread count."""

import re
from datetime import timedelta
from itertools import count as counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from psp.notifications.models import Notification, NotificationPreference
from psp.notifications.registry import Due
from psp.notifications.services import notify
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db
KEYS = counter()


def url(world, name, **kwargs) -> str:
    return reverse(f"notifications:{name}", kwargs={"program": world.program.slug, **kwargs})


def notify_many(world, person, count: int, *, link: str | None = None) -> list[Notification]:
    """`count` notifications for `person`, a minute apart, the last one newest."""
    made = []
    with program_scope(world.program):
        start = timezone.now() - timedelta(hours=1)
        for n in range(count):
            due = Due(
                kind="report_ready",
                key=f"report_ready:{person.pk}:{next(KEYS)}",
                title=f"Report {n} is ready",
                body=f"Made for {world.practice.name}.",
                url=link if link is not None else f"/p/{world.program.slug}/practices/",
                recipient_id=person.pk,
                practice_id=world.practice.pk,
            )
            notification = notify(program=world.program, due=due)
            Notification.objects.filter(pk=notification.pk).update(
                created_at=start + timedelta(minutes=n)
            )
            made.append(notification)
    return made


def unread_in_db(world, person) -> int:
    with program_scope(world.program):
        return ProgramMembership.objects.get(user=person).unread_notifications


def header_link(html: str) -> str:
    return re.search(r'<a class="header-notifications".*?</a>', html, re.S).group(0)


# The header ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "manager", "coach", "lead", "staff"])
def test_every_role_sees_its_unread_count_in_the_header(client, world, reminders, role):
    person = world.user(role)
    notify_many(world, person, 3)
    client.force_login(person)

    page = client.get(reverse("program_home", kwargs={"program": world.program.slug}))

    link = header_link(page.content.decode())
    assert f'href="{url(world, "list")}"' in link
    assert 'aria-label="Notifications, 3 unread"' in link
    assert '<span class="header-notifications__count" aria-hidden="true">3</span>' in link


def test_the_header_count_costs_no_query(client, world, reminders):
    client.force_login(world.coach)
    home = reverse("program_home", kwargs={"program": world.program.slug})
    client.get(home)
    with CaptureQueriesContext(connection) as before:
        client.get(home)
    notify_many(world, world.coach, 2)
    with CaptureQueriesContext(connection) as after:
        page = client.get(home)

    assert "2 unread" in header_link(page.content.decode())
    assert len(after.captured_queries) == len(before.captured_queries)


def test_without_unread_notifications_the_header_shows_no_count(client, world, reminders):
    client.force_login(world.staff)
    page = client.get(reverse("program_home", kwargs={"program": world.program.slug}))
    link = header_link(page.content.decode())
    assert "unread" not in link and "__count" not in link


# The centre ---------------------------------------------------------------------------------


def test_the_centre_lists_ones_own_newest_first_with_the_unread_marked(client, world, reminders):
    first, second, third = notify_many(world, world.lead, 3)
    notify_many(world, world.staff, 1)
    client.force_login(world.lead)
    client.post(url(world, "read", pk=second.pk))

    html = client.get(url(world, "list")).content.decode()

    titles = re.findall(r">(Report \d is ready)</a>", html)
    assert titles == ["Report 2 is ready", "Report 1 is ready", "Report 0 is ready"]
    assert html.count('<span class="visually-hidden">, unread:</span>') == 2
    assert html.count("notification--unread") == 2
    assert f'href="{url(world, "open", pk=third.pk)}"' in html
    assert "2 unread" in html
    assert html.count(f'action="{url(world, "read", pk=first.pk)}"') == 1
    assert f'action="{url(world, "read", pk=second.pk)}"' not in html  # read already
    assert "Report 0 is ready" in html and world.staff.full_name not in html


def test_the_centre_is_paginated(client, world, reminders):
    notify_many(world, world.coach, 23)
    client.force_login(world.coach)

    first = client.get(url(world, "list")).content.decode()
    second = client.get(url(world, "list"), {"page": 2}).content.decode()

    assert "Page 1 of 2" in first and "Report 22 is ready" in first
    assert "Report 2 is ready" in second and "Report 3 is ready" not in second


def test_an_empty_centre_says_so(client, world, reminders):
    client.force_login(world.manager)
    html = client.get(url(world, "list")).content.decode()
    assert "No notifications yet." in html
    assert "Mark all read" not in html


def test_the_centre_costs_the_same_queries_for_many_notifications(client, world, reminders):
    client.force_login(world.coach)
    notify_many(world, world.coach, 2)
    client.get(url(world, "list"))  # the first visit remembers the program, once
    with CaptureQueriesContext(connection) as few:
        client.get(url(world, "list"))
    notify_many(world, world.coach, 15)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url(world, "list"))

    assert page.content.decode().count("notification__title") == 17
    assert len(many.captured_queries) == len(few.captured_queries)


def test_opening_the_centre_heals_a_count_that_drifted(client, world, reminders):
    notify_many(world, world.coach, 2)
    with program_scope(world.program):
        ProgramMembership.objects.filter(user=world.coach).update(unread_notifications=40)
    client.force_login(world.coach)

    html = client.get(url(world, "list")).content.decode()

    assert unread_in_db(world, world.coach) == 2
    assert "2 unread" in header_link(html)


def test_mark_read_and_mark_all_read_keep_the_count(client, world, reminders):
    first, *_ = notify_many(world, world.coach, 3)
    client.force_login(world.coach)

    answer = client.post(url(world, "read", pk=first.pk), {"next": url(world, "list") + "?page=1"})
    after_one = unread_in_db(world, world.coach)
    client.post(url(world, "read", pk=first.pk))  # again: nothing more to count down
    after_again = unread_in_db(world, world.coach)
    everything = client.post(url(world, "read_all"))
    home = client.get(reverse("program_home", kwargs={"program": world.program.slug}))

    assert answer.status_code == 302 and answer["Location"] == url(world, "list") + "?page=1"
    assert (after_one, after_again, unread_in_db(world, world.coach)) == (2, 2, 0)
    assert everything["Location"] == url(world, "list")
    assert "unread" not in header_link(home.content.decode())
    with program_scope(world.program):
        assert not Notification.objects.filter(recipient=world.coach, read_at=None).exists()


def test_mark_read_goes_back_only_to_the_centre(client, world, reminders):
    (notification,) = notify_many(world, world.coach, 1)
    client.force_login(world.coach)
    answer = client.post(url(world, "read", pk=notification.pk), {"next": "https://evil.example/"})
    assert answer["Location"] == url(world, "list")


def test_opening_a_notification_marks_it_read_and_goes_to_its_subject(client, world, reminders):
    (notification,) = notify_many(world, world.lead, 1, link=f"/p/north-psp/practices/{7}/")
    client.force_login(world.lead)

    answer = client.get(url(world, "open", pk=notification.pk))

    assert answer.status_code == 302
    assert answer["Location"] == "/p/north-psp/practices/7/"
    assert unread_in_db(world, world.lead) == 0
    with program_scope(world.program):
        assert Notification.objects.get(pk=notification.pk).read_at is not None


@pytest.mark.parametrize(
    "link", ["https://evil.example/p/", "//evil.example/p/", "/\\evil.example", "javascript:x"]
)
def test_a_link_off_the_site_is_never_followed(client, world, reminders, link):
    (notification,) = notify_many(world, world.lead, 1, link=link)
    client.force_login(world.lead)

    answer = client.get(url(world, "open", pk=notification.pk), follow=True)

    assert answer.redirect_chain == [(url(world, "list"), 302)]
    assert "has no page on this site to open" in answer.content.decode()


@pytest.mark.parametrize("name", ["open", "read"])
def test_another_persons_notification_is_not_found(client, world, reminders, name):
    (theirs,) = notify_many(world, world.staff, 1)
    client.force_login(world.lead)

    answer = (
        client.get(url(world, name, pk=theirs.pk))
        if name == "open"
        else client.post(url(world, name, pk=theirs.pk))
    )

    assert answer.status_code == 404
    assert unread_in_db(world, world.staff) == 1


# Settings -----------------------------------------------------------------------------------


def test_settings_offer_each_kind_with_its_description_and_say_when_digests_go(
    client, world, reminders
):
    world.program.time_zone = "America/Vancouver"
    world.program.digest_hour = 6
    world.program.save()
    client.force_login(world.coach)

    html = client.get(url(world, "settings")).content.decode()

    assert "<legend>A practice check-in</legend>" in html
    assert "Each day, to the practice&#x27;s lead and staff." in html
    assert "An invitation not accepted" not in html  # email only: nothing to choose
    assert "06:00, America/Vancouver" in html
    # The kind's default is chosen until the person chooses.
    assert re.search(
        r'value="digest"[^>]*name="coach_note"[^>]*checked|'
        r'name="coach_note"[^>]*value="digest"[^>]*checked',
        html,
    )
    for label in ("Email at once", "Daily digest email", "In the app only"):
        assert label in html


def test_saving_settings_keeps_the_choice_and_says_so(client, world, reminders):
    client.force_login(world.coach)

    answer = client.post(
        url(world, "settings"),
        {"practice_checkin": "app", "coach_note": "immediate", "report_ready": "digest"},
        follow=True,
    )

    assert "Your notification settings are saved." in answer.content.decode()
    with program_scope(world.program):
        chosen = dict(
            NotificationPreference.objects.filter(user=world.coach).values_list("kind", "delivery")
        )
    assert chosen == {
        "practice_checkin": "app",
        "coach_note": "immediate",
        "report_ready": "digest",
    }


def test_a_choice_that_does_not_exist_is_refused_beside_its_kind(client, world, reminders):
    client.force_login(world.coach)

    answer = client.post(
        url(world, "settings"),
        {"practice_checkin": "pigeon", "coach_note": "app", "report_ready": "app"},
    )

    assert answer.status_code == 200
    assert "Select a valid choice. pigeon is not one of the available choices." in (
        answer.content.decode()
    )
    with program_scope(world.program):
        assert not NotificationPreference.objects.exists()
