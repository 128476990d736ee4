"""Participant feedback services and results: asking a visit's attendees and e-mailing them
once, answering once as the invitation's own person, anonymity of the stored answer, and the
results' maths and anonymity threshold."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coaching.feedback import selectors, services
from coaching.feedback.tasks import send_feedback_invite
from coaching.models import FeedbackInvite, FeedbackResponse, VisitStatus
from practices import derived
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.factories import (
    FeedbackInviteFactory,
    FeedbackResponseFactory,
    UserFactory,
    VisitAttendeeFactory,
    VisitFactory,
)


def logged_visit(world, *, coach=None, attendees=(), days_ago=3, on=None, **kwargs):
    visit = VisitFactory(
        program=world.program,
        practice=kwargs.pop("practice", world.practice),
        coach=coach or world.coach,
        visit_date=on or timezone.localdate() - timedelta(days=days_ago),
        **kwargs,
    )
    for person in attendees:
        VisitAttendeeFactory(program=world.program, visit=visit, person=person)
    return visit


def invites_of(world, visit) -> list[FeedbackInvite]:
    with program_scope(world.program):
        return list(FeedbackInvite.objects.filter(visit=visit).order_by("person__email"))


# Asking ----------------------------------------------------------------------------------


def test_each_attendee_but_the_coach_is_asked_and_emailed_a_link_once(
    world, django_capture_on_commit_callbacks, settings
):
    settings.PSP_SITE_URL = "https://psp.example.org"
    visit = logged_visit(world, attendees=[world.lead, world.staff, world.coach])

    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        invites = services.feedback_request(program=world.program, visit=visit, by=None)

    assert {invite.person for invite in invites} == {world.lead, world.staff}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.lead.email, world.staff.email])
    message = next(m for m in mail.outbox if m.to == [world.lead.email])
    invite = next(i for i in invites_of(world, visit) if i.person == world.lead)
    link = f"https://psp.example.org/p/{world.program.slug}/feedback/{invite.pk}/"
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert world.coach.full_name in message.subject
    assert all(i.emailed_at is not None for i in invites_of(world, visit))


def test_asking_again_asks_only_new_attendees(world, django_capture_on_commit_callbacks):
    visit = logged_visit(world, attendees=[world.lead])
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        services.feedback_request(program=world.program, visit=visit, by=None)
        VisitAttendeeFactory(program=world.program, visit=visit, person=world.staff)
        again = services.feedback_request(program=world.program, visit=visit, by=None)

    assert [invite.person for invite in again] == [world.staff]
    assert len(mail.outbox) == 2


def test_invitations_saved_while_the_broker_was_down_are_emailed_by_the_relay(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from psp.outbox import relay
    from psp.outbox.models import OutboxMessage, OutboxState

    def broker_down(message):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    visit = logged_visit(world, attendees=[world.lead, world.staff])
    with monkeypatch.context() as patch:
        patch.setattr(relay, "_send", broker_down)
        with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
            services.feedback_request(program=world.program, visit=visit, by=None)
        assert mail.outbox == []
        # Still down: the relay sends nothing and loses nothing.
        assert relay.relay_due() == 0
    waiting = OutboxMessage.all_programs.filter(task=send_feedback_invite.name)
    assert [m.state for m in waiting] == [OutboxState.PENDING] * 2

    # The broker is back: the relay sends both, once.
    assert relay.relay_due() == 2
    assert relay.relay_due() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.lead.email, world.staff.email])
    assert {m.state for m in waiting.all()} == {OutboxState.DONE}


def test_a_planned_visit_asks_nobody(world):
    visit = logged_visit(world, attendees=[world.lead], status=VisitStatus.PLANNED, days_ago=-3)

    with program_scope(world.program):
        assert services.feedback_request(program=world.program, visit=visit, by=None) == []


def test_the_email_is_sent_once_even_if_the_task_runs_twice(world):
    invite = FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world), person=world.staff
    )

    first = send_feedback_invite.apply(
        kwargs={"program_id": world.program.pk, "invite_id": invite.pk}
    ).get()
    second = send_feedback_invite.apply(
        kwargs={"program_id": world.program.pk, "invite_id": invite.pk}
    ).get()

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_a_failed_send_leaves_the_invitation_unsent_for_the_retry(world, monkeypatch):
    invite = FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world), person=world.staff
    )

    def refuse(self, *args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with program_scope(world.program), pytest.raises(ConnectionError):
        services.feedback_invite_send(program=world.program, invite_id=invite.pk)

    with program_scope(world.program):
        assert FeedbackInvite.objects.get(pk=invite.pk).emailed_at is None


def test_an_answered_invitation_is_not_emailed(world):
    invite = FeedbackInviteFactory(
        program=world.program,
        visit=logged_visit(world),
        person=world.staff,
        answered_at=timezone.now(),
    )

    with program_scope(world.program):
        sent = services.feedback_invite_send(program=world.program, invite_id=invite.pk)

    assert sent is False
    assert mail.outbox == []


# Answering -------------------------------------------------------------------------------


def respond(world, invite, by, **answer):
    answer = {"usefulness": 4, "would_recommend": 9, "comment": "", **answer}
    with program_scope(world.program):
        return services.feedback_respond(program=world.program, invite=invite, by=by, **answer)


def test_an_answer_is_stored_without_any_link_to_the_person(world):
    visit = logged_visit(world)
    invite = FeedbackInviteFactory(program=world.program, visit=visit, person=world.staff)

    response = respond(world, invite, world.staff, comment="The huddle board helps.")

    person_fields = [
        f.name
        for f in FeedbackResponse._meta.get_fields()
        if f.is_relation and f.related_model is type(world.staff)
    ]
    # The only person named is the visit's coach, copied from the visit for the results' index:
    # nothing the visit did not already say, and never who answered.
    assert person_fields == ["coach"]
    derived.flush_pending()  # the copy is made after the commit, or before a read
    with program_scope(world.program):
        stored = FeedbackResponse.objects.get(pk=response.pk)
    assert (stored.coach, stored.quarter) == (
        world.coach,
        selectors.quarter_of(visit.visit_date).start,
    )
    assert (response.visit_id, response.usefulness, response.would_recommend) == (visit.pk, 4, 9)
    assert response.submitted_on == timezone.localdate()
    with program_scope(world.program):
        assert FeedbackInvite.objects.get(pk=invite.pk).answered_at is not None


def test_an_invitation_is_answered_only_once(world):
    invite = FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world), person=world.staff
    )
    respond(world, invite, world.staff)

    with pytest.raises(ValidationError):
        respond(world, invite, world.staff, usefulness=1)

    with program_scope(world.program):
        assert FeedbackResponse.objects.count() == 1


def test_only_the_invitations_person_may_answer_it(world):
    invite = FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world), person=world.staff
    )

    with pytest.raises(PermissionDenied):
        respond(world, invite, world.lead)

    with program_scope(world.program):
        assert FeedbackResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"usefulness": 0}, "usefulness"),
        ({"usefulness": 6}, "usefulness"),
        ({"would_recommend": 11}, "would_recommend"),
        ({"would_recommend": "ten"}, "would_recommend"),
        ({"comment": "x" * 2001}, "comment"),
    ],
)
def test_an_answer_out_of_range_is_refused_and_changes_nothing(world, answer, field):
    invite = FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world), person=world.staff
    )

    with pytest.raises(ValidationError) as refused:
        respond(world, invite, world.staff, **answer)

    assert field in refused.value.message_dict
    with program_scope(world.program):
        assert FeedbackResponse.objects.count() == 0
        assert FeedbackInvite.objects.get(pk=invite.pk).answered_at is None


def test_a_declined_invitation_accepts_no_answer(world):
    invite = FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world), person=world.staff
    )
    with program_scope(world.program):
        services.feedback_decline(program=world.program, invite=invite, by=world.staff)

    with pytest.raises(ValidationError):
        respond(world, invite, world.staff)


def test_the_prompt_asks_about_open_invitations_of_the_last_30_days(world):
    recent = FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world, days_ago=2), person=world.staff
    )
    FeedbackInviteFactory(
        program=world.program, visit=logged_visit(world, days_ago=31), person=world.staff
    )
    FeedbackInviteFactory(
        program=world.program,
        visit=logged_visit(world, days_ago=1),
        person=world.staff,
        answered_at=timezone.now(),
    )
    FeedbackInviteFactory(
        program=world.program,
        visit=logged_visit(world, days_ago=1),
        person=world.staff,
        declined_at=timezone.now(),
    )
    FeedbackInviteFactory(program=world.program, visit=logged_visit(world), person=world.lead)

    with program_scope(world.program):
        assert selectors.prompt_invites(user=world.staff) == [recent]


# Results ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "nps"),
    [
        ([10, 9, 8], 67),  # 2 promoters of 3: 66.7
        ([10, 9, 6], 33),
        ([0, 6, 7, 8], -50),
        ([9, 10, 9, 10], 100),
        ([9, 7, 5, 5, 8, 8, 8, 8], -13),  # 1 - 2 of 8: -12.5, halves away from zero
        ([9, 9, 7, 5, 8, 8, 8, 8], 13),
    ],
)
def test_the_net_promoter_score(scores, nps):
    promoters = sum(score >= 9 for score in scores)
    detractors = sum(score <= 6 for score in scores)

    assert selectors.net_promoter_score(promoters, detractors, len(scores)) == nps


def answers(world, visit, *pairs, comment="", on=None):
    for usefulness, recommend in pairs:
        FeedbackResponseFactory(
            program=world.program,
            visit=visit,
            usefulness=usefulness,
            would_recommend=recommend,
            comment=comment,
            submitted_on=on or visit.visit_date,
        )


def results_for(world, user, today=None):
    with program_scope(world.program):
        access = access_for(program=world.program, user=user)
        return selectors.feedback_results(access=access, today=today)


def quarter_figures(group, start: date):
    return next(figures for quarter, figures in group.quarters if quarter.start == start)


TODAY = date(2025, 5, 20)  # Q2 2025; the window runs from Q3 2024


def test_results_add_up_per_coach_and_program_by_quarter(world):
    april = logged_visit(world, on=date(2025, 4, 10))
    february = logged_visit(world, on=date(2025, 2, 3))
    theirs = logged_visit(
        world,
        coach=world.other_coach,
        practice=world.other_practice,
        on=date(2025, 4, 20),
    )
    answers(world, april, (5, 10), (4, 9), (3, 6))
    answers(world, february, (2, 3), (4, 8), (4, 9), (5, 10))
    answers(world, theirs, (5, 10), (5, 10), (1, 0))
    for visit, count, answered in ((april, 4, 3), (february, 4, 4), (theirs, 5, 3)):
        for i in range(count):
            FeedbackInviteFactory(
                program=world.program,
                visit=visit,
                answered_at=timezone.now() if i < answered else None,
            )

    results = results_for(world, world.manager, today=TODAY)

    coach = next(g for g in results.coaches if g.coach == world.coach)
    q2 = quarter_figures(coach, date(2025, 4, 1))
    assert (q2.responses, q2.average_usefulness, q2.nps, q2.response_rate) == (
        3,
        pytest.approx(4.0),
        33,
        75,
    )
    q1 = quarter_figures(coach, date(2025, 1, 1))
    assert (q1.responses, str(q1.average_usefulness), q1.nps, q1.response_rate) == (
        4,
        "3.8",
        25,
        100,
    )
    assert coach.total.responses == 7
    program_q2 = quarter_figures(results.program, date(2025, 4, 1))
    assert (program_q2.responses, program_q2.nps, program_q2.response_rate) == (6, 33, 67)
    assert [q.label for q in results.quarters] == ["Q2 2025", "Q1 2025", "Q4 2024", "Q3 2024"]


def test_a_group_of_fewer_than_three_answers_shows_no_numbers_and_no_comments(world):
    small = logged_visit(world, on=date(2025, 4, 10))
    large = logged_visit(world, on=date(2025, 1, 10))
    answers(world, small, (1, 0), (2, 1), comment="Too long, not useful.")
    answers(world, large, (4, 9), (4, 9), (5, 10), comment="Really practical.")

    results = results_for(world, world.coach, today=TODAY)

    [group] = results.coaches
    small_q = quarter_figures(group, date(2025, 4, 1))
    assert small_q.hidden
    assert small_q.as_dict() == {
        "hidden": True,
        "responses": None,
        "average_usefulness": None,
        "nps": None,
        "invites": None,
        "response_rate": None,
    }
    assert [c.text for c in group.comments] == ["Really practical."] * 3
    # The total adds up the quarters shown only: the hidden quarter cannot be worked out.
    assert (group.total.responses, group.total.nps) == (3, 100)


def test_the_program_line_leaves_out_a_coachs_hidden_quarter(world):
    """Otherwise the program's quarter minus the coaches shown would give the hidden numbers."""
    shown = logged_visit(world, on=date(2025, 4, 10))
    hidden = logged_visit(
        world, coach=world.other_coach, practice=world.other_practice, on=date(2025, 4, 12)
    )
    answers(world, shown, (5, 10), (4, 9), (4, 8))
    answers(world, hidden, (1, 0), (1, 2))

    results = results_for(world, world.manager, today=TODAY)

    program_q2 = quarter_figures(results.program, date(2025, 4, 1))
    assert (program_q2.responses, program_q2.nps) == (3, 67)
    other = next(g for g in results.coaches if g.coach == world.other_coach)
    assert quarter_figures(other, date(2025, 4, 1)).hidden


def test_comments_carry_the_visits_quarter_only_in_the_order_of_their_text(world):
    """Not the month nor the order they came in: a coach with one visit in May would know
    whose the May comment was."""
    visit = logged_visit(world, on=date(2025, 4, 2))
    answers(world, visit, (4, 9), comment="Useful huddle", on=date(2025, 4, 3))
    answers(world, visit, (4, 9), comment="Agenda too long", on=date(2025, 5, 12))
    answers(world, visit, (4, 9), comment="", on=date(2025, 4, 5))

    [group] = results_for(world, world.coach, today=TODAY).coaches

    assert [(c.text, c.quarter.label) for c in group.comments] == [
        ("Agenda too long", "Q2 2025"),
        ("Useful huddle", "Q2 2025"),
    ]


def test_a_coach_reads_only_their_own_visits_and_no_program_line(world):
    mine = logged_visit(world, on=date(2025, 4, 10))
    theirs = logged_visit(
        world,
        coach=world.other_coach,
        practice=world.other_practice,
        on=date(2025, 4, 10),
    )
    answers(world, mine, (5, 10), (5, 10), (5, 10))
    answers(world, theirs, (1, 0), (1, 0), (1, 0))

    results = results_for(world, world.coach, today=TODAY)

    assert results.program is None
    assert [group.coach for group in results.coaches] == [world.coach]
    assert quarter_figures(results.coaches[0], date(2025, 4, 1)).nps == 100


def test_visits_before_the_last_four_quarters_are_left_out(world):
    old = logged_visit(world, on=date(2024, 6, 30))
    answers(world, old, (5, 10), (5, 10), (5, 10))

    [group] = results_for(world, world.coach, today=TODAY).coaches

    assert group.total.responses == 0
    assert not group.any_feedback


def test_people_with_no_feedback_at_all_still_list_as_coaches_for_managers(world):
    UserFactory(email="nobody@example.org")

    results = results_for(world, world.admin, today=TODAY)

    assert {group.coach for group in results.coaches} == {world.coach, world.other_coach}
