"""Participant feedback pages: the invitation's form (its own person only, answered once,
declined with "Not this time"), the home page prompt, and the results by role, which never
say who answered what."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import FeedbackInvite, FeedbackResponse
from practices import derived
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import (
    FeedbackInviteFactory,
    FeedbackResponseFactory,
    MembershipFactory,
    UserFactory,
    VisitAttendeeFactory,
    VisitFactory,
)


def visit_of(world, *, days_ago=3, coach=None, practice=None):
    return VisitFactory(
        program=world.program,
        practice=practice or world.practice,
        coach=coach or world.coach,
        visit_date=timezone.localdate() - timedelta(days=days_ago),
    )


def invite_for(world, person, **kwargs):
    visit = kwargs.pop("visit", None) or visit_of(world)
    return FeedbackInviteFactory(program=world.program, visit=visit, person=person, **kwargs)


def give_url(invite):
    with program_scope(invite.program):
        return invite.get_absolute_url()


def stored(world, invite):
    with program_scope(world.program):
        return FeedbackInvite.objects.get(pk=invite.pk), FeedbackResponse.objects.count()


# The form --------------------------------------------------------------------------------


def test_the_invited_person_sees_the_form_with_labelled_scales(client, world):
    invite = invite_for(world, world.staff)
    client.force_login(world.staff)

    response = client.get(give_url(invite))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"How useful was {world.coach.full_name}'s visit?" in html
    assert html.count('type="radio" name="usefulness"') == 5
    assert html.count('type="radio" name="would_recommend"') == 11
    assert '<legend class="feedback-question__legend">How useful was the visit?</legend>' in html
    assert 'name="decline"' in html
    assert "stored without your name" in html


@pytest.mark.parametrize("who", ["lead", "coach", "admin", "manager"])
def test_anyone_else_gets_404_for_an_invitation(client, world, who):
    invite = invite_for(world, world.staff)
    client.force_login(world.user(who))

    assert client.get(give_url(invite)).status_code == 404
    response = client.post(give_url(invite), {"usefulness": 5, "would_recommend": 10})
    assert response.status_code == 404
    assert stored(world, invite)[0].answered_at is None


def test_another_programs_member_gets_404(client, world, other_world):
    invite = invite_for(world, world.staff)
    client.force_login(other_world.staff)

    assert client.get(give_url(invite)).status_code == 404


def test_an_answer_is_taken_once_and_the_page_then_says_so(client, world):
    invite = invite_for(world, world.staff)
    client.force_login(world.staff)

    first = client.post(
        give_url(invite), {"usefulness": 4, "would_recommend": 9, "comment": "Clear and useful."}
    )
    second = client.post(give_url(invite), {"usefulness": 1, "would_recommend": 0})
    page = client.get(give_url(invite))

    assert first.status_code == 302
    assert second.status_code == 200
    answered, count = stored(world, invite)
    assert answered.answered_at is not None and count == 1
    with program_scope(world.program):
        assert FeedbackResponse.objects.get().usefulness == 4
    html = page.content.decode()
    assert "You have already given your feedback on this visit" in html
    assert 'name="usefulness"' not in html


def test_a_missing_answer_is_shown_beside_its_question(client, world):
    invite = invite_for(world, world.staff)
    client.force_login(world.staff)

    response = client.post(give_url(invite), {"would_recommend": 7})

    html = response.content.decode()
    assert "Choose how useful the visit was, from 1 to 5." in html
    assert 'id="id_usefulness_error"' in html
    assert stored(world, invite)[1] == 0


def test_not_this_time_declines_and_nothing_more_is_asked(client, world):
    invite = invite_for(world, world.staff)
    client.force_login(world.staff)

    client.post(give_url(invite), {"decline": "1"})
    after = client.post(give_url(invite), {"usefulness": 5, "would_recommend": 10})

    declined, count = stored(world, invite)
    assert declined.declined_at is not None and declined.answered_at is None
    assert count == 0
    assert "You chose not to give feedback on this visit" in after.content.decode()


# The home page prompt --------------------------------------------------------------------


def test_the_home_page_asks_about_recent_visits(client, world):
    invite = invite_for(world, world.lead, visit=visit_of(world, days_ago=5))
    invite_for(world, world.lead, visit=visit_of(world, days_ago=45))
    client.force_login(world.lead)

    response = client.get(reverse("program_home", kwargs={"program": world.program.slug}))

    html = " ".join(response.content.decode().split())
    visit_day = timezone.localdate() - timedelta(days=5)
    assert f"How useful was {world.coach.full_name}'s visit on" in html
    assert visit_day.strftime("%Y-%m-%d") in html
    assert html.count("Give feedback<") == 1
    assert give_url(invite) in html


def test_the_prompt_is_gone_once_answered(client, world):
    invite_for(world, world.lead, answered_at=timezone.now())
    client.force_login(world.lead)

    response = client.get(reverse("program_home", kwargs={"program": world.program.slug}))

    assert "Your feedback, please" not in response.content.decode()


# Results ---------------------------------------------------------------------------------


def results_url(world):
    return reverse("feedback:results", kwargs={"program": world.program.slug})


def answered_visit(world, *, coach, practice, attendees, comment, scores=((4, 9),) * 3):
    visit = visit_of(world, coach=coach, practice=practice, days_ago=4)
    for person in attendees:
        VisitAttendeeFactory(program=world.program, visit=visit, person=person)
        FeedbackInviteFactory(
            program=world.program, visit=visit, person=person, answered_at=timezone.now()
        )
    for usefulness, recommend in scores:
        FeedbackResponseFactory(
            program=world.program,
            visit=visit,
            usefulness=usefulness,
            would_recommend=recommend,
            comment=comment,
        )
    return visit


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", 200), ("manager", 200), ("coach", 200), ("lead", 403), ("staff", 403)],
)
def test_who_may_see_the_results(client, world, who, expected):
    client.force_login(world.user(who))

    assert client.get(results_url(world)).status_code == expected


def test_a_coachs_results_never_name_who_answered(client, world):
    answered_visit(
        world,
        coach=world.coach,
        practice=world.practice,
        attendees=[world.lead, world.staff],
        comment="The recall list walkthrough was great.",
    )
    client.force_login(world.coach)

    response = client.get(results_url(world))

    html = response.content.decode()
    assert "The recall list walkthrough was great." in html
    for person in (world.lead, world.staff):
        assert person.full_name not in html
        assert person.email not in html
    assert world.practice.name not in html


def test_a_coach_sees_only_their_own_visits(client, world):
    answered_visit(
        world,
        coach=world.other_coach,
        practice=world.other_practice,
        attendees=[],
        comment="Other coach's comment",
    )
    client.force_login(world.coach)

    html = client.get(results_url(world)).content.decode()

    assert "Other coach&#x27;s comment" not in html
    assert world.other_coach.full_name not in html
    assert "The program" not in html


def test_managers_see_each_coach_and_the_program(client, world):
    answered_visit(
        world, coach=world.coach, practice=world.practice, attendees=[], comment="Helpful"
    )
    client.force_login(world.manager)

    html = client.get(results_url(world)).content.decode()

    assert "The program" in html
    assert world.coach.full_name in html
    assert world.other_coach.full_name in html


def test_a_small_group_says_so_instead_of_numbers_and_hides_its_comments(client, world):
    answered_visit(
        world,
        coach=world.coach,
        practice=world.practice,
        attendees=[],
        comment="Only two of us answered",
        scores=((1, 0), (2, 3)),
    )
    client.force_login(world.coach)

    html = client.get(results_url(world)).content.decode()

    assert "Fewer than 3 answers" in html
    assert "Only two of us answered" not in html
    assert "fewer than 3 answers” instead of numbers" in html  # the page says why


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["manager", "coach"])
def test_the_results_run_the_same_queries_however_many_coaches_visits_and_answers(
    client, world, who
):
    client.force_login(world.user(who))
    answered_visit(
        world, coach=world.coach, practice=world.practice, attendees=[world.lead], comment="Good"
    )
    derived.flush_pending()  # as a commit would: the summaries' recomputation is not the page's
    _queries(client, results_url(world))  # the session's first reads are done once
    before = _queries(client, results_url(world))
    for number in range(4):
        coach = UserFactory(full_name=f"Extra Coach {number}")
        MembershipFactory(program=world.program, user=coach, role=ProgramRole.COACH)
        for who_coached in (coach, world.coach):
            answered_visit(
                world,
                coach=who_coached,
                practice=world.other_practice,
                attendees=[world.staff],
                comment=f"Comment {number}",
            )
    derived.flush_pending()

    assert _queries(client, results_url(world)) == before
