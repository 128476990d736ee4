"""The stored feedback summary always gives the results counted live from the visits, their
invitations and answers: after every kind of write (answers and invitations answered or
declined, a visit moved to another coach or quarter one by one or in bulk, visits deleted one
by one or in bulk, an invited person or a coach deleted), and after `rebuild_feedback`. The
results page's figures, hidden groups and comments are compared with the live computation."""

from collections import defaultdict
from dataclasses import astuple
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from coaching.feedback import selectors, services
from coaching.feedback.models import (
    FeedbackInvite,
    FeedbackPracticeQuarter,
    FeedbackQuarter,
    FeedbackResponse,
)
from coaching.feedback.selectors import Figures, quarter_of
from coaching.visits.models import Visit
from practices import derived
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.factories import (
    FeedbackInviteFactory,
    FeedbackResponseFactory,
    VisitFactory,
)

TODAY = date(2025, 5, 20)  # Q2 2025; the window runs from Q3 2024


def live_groups(program) -> dict:
    """(coach id, quarter start) -> Figures, counted from the visits themselves."""
    groups = defaultdict(Figures)
    for answer in FeedbackResponse.all_programs.filter(program=program).select_related("visit"):
        group = groups[(answer.visit.coach_id, quarter_of(answer.visit.visit_date).start)]
        group.responses += 1
        group.usefulness_sum += answer.usefulness
        group.promoters += answer.would_recommend >= 9
        group.detractors += answer.would_recommend <= 6
        group.comments += bool(answer.comment)
    for invite in FeedbackInvite.all_programs.filter(program=program).select_related("visit"):
        group = groups[(invite.visit.coach_id, quarter_of(invite.visit.visit_date).start)]
        group.invites += 1
        group.answered += invite.answered_at is not None
    return {key: astuple(figures) for key, figures in groups.items()}


def stored_groups(program) -> dict:
    derived.flush_pending()  # as the reads do: this transaction's writes first
    groups = defaultdict(Figures)
    for row in FeedbackQuarter.all_programs.filter(program=program):
        groups[(row.coach_id, row.quarter)] += Figures(
            *(getattr(row, name) for name in Figures.__dataclass_fields__)
        )
    return {key: astuple(figures) for key, figures in groups.items() if any(astuple(figures))}


def live_comments(program, groups: dict, coach_id, quarters) -> list[tuple[str, date]]:
    """A coach's comments as the results show them, worked out from every answer."""
    window = {quarter.start for quarter in quarters}
    rows = []
    for answer in FeedbackResponse.all_programs.filter(program=program).select_related("visit"):
        start = quarter_of(answer.visit.visit_date).start
        figures = Figures(*groups.get((answer.visit.coach_id, start), astuple(Figures())))
        if answer.visit.coach_id != coach_id or not answer.comment or start not in window:
            continue
        if not figures.hidden:
            rows.append((answer.comment, start))
    rows.sort(key=lambda row: (-row[1].toordinal(), row[0]))
    return rows[: selectors.COMMENTS_PER_COACH]


def assert_results_are_live(world, step: str):
    program = world.program
    live = live_groups(program)
    assert stored_groups(program) == live, f"the summary is stale after: {step}"
    with program_scope(program):
        copies = {
            (answer.coach_id, answer.quarter)
            == (answer.visit.coach_id, quarter_of(answer.visit.visit_date).start)
            for answer in FeedbackResponse.objects.select_related("visit")
        }
        access = access_for(program=program, user=world.manager)
        results = selectors.feedback_results(access=access, today=TODAY)
    assert copies <= {True}, f"an answer's coach or quarter is stale after: {step}"
    for line in results.coaches:
        coach_id = line.coach.pk if line.coach else None
        for quarter, figures in line.quarters:
            expected = live.get((coach_id, quarter.start), astuple(Figures()))
            assert astuple(figures) == expected, f"{line.name} {quarter.label} after: {step}"
        shown = [(comment.text, comment.quarter.start) for comment in line.comments]
        expected = live_comments(program, live, coach_id, results.quarters)
        assert shown == expected, f"{line.name}'s comments after: {step}"
    for quarter, figures in results.program.quarters:
        shown = [v for (c, q), v in live.items() if q == quarter.start and v[2] >= 3]
        expected = [sum(column) for column in zip(astuple(Figures()), *shown, strict=False)]
        assert list(astuple(figures)) == expected, f"the program's {quarter.label} after: {step}"


def visit_on(world, day: date, *, coach=None, practice=None):
    return VisitFactory(
        program=world.program,
        practice=practice or world.practice,
        coach=coach or world.coach,
        visit_date=day,
    )


def answers(world, visit, *scores, comment=""):
    for number, (usefulness, recommend) in enumerate(scores):
        FeedbackResponseFactory(
            program=world.program,
            visit=visit,
            usefulness=usefulness,
            would_recommend=recommend,
            comment=f"{comment} {number}" if comment else "",
        )


@pytest.fixture
def varied(world, monkeypatch):
    """Two coaches, two practices, answers and invitations over five quarters (one after the
    window's newest), groups above and below the threshold, comments beyond the limit."""
    monkeypatch.setattr(selectors, "COMMENTS_PER_COACH", 4)
    april = visit_on(world, date(2025, 4, 10))
    answers(world, april, (5, 10), (4, 9), (3, 6), comment="April")
    january = visit_on(world, date(2025, 1, 20))
    answers(world, january, (2, 3), (4, 8), (4, 9), (5, 10), comment="January")
    small = visit_on(
        world, date(2024, 11, 5), coach=world.other_coach, practice=world.other_practice
    )
    answers(world, small, (1, 0), (2, 7), comment="Small")
    theirs = visit_on(world, date(2025, 5, 2), coach=world.other_coach, practice=world.practice)
    answers(world, theirs, (5, 10), (5, 10), (1, 0))
    answers(world, visit_on(world, date(2025, 8, 1)), (4, 9), (4, 9), (4, 9), comment="Later")
    answers(world, visit_on(world, date(2024, 3, 1)), (4, 9), (4, 9), (4, 9), comment="Old")
    for visit, count, answered in ((april, 4, 3), (january, 5, 4), (small, 3, 2)):
        for index in range(count):
            FeedbackInviteFactory(
                program=world.program,
                visit=visit,
                answered_at=timezone.now() if index < answered else None,
            )
    return {"april": april, "january": january, "small": small, "theirs": theirs}


def test_the_stored_results_follow_every_kind_of_write(world, varied):
    assert_results_are_live(world, "the answers and invitations")

    visit = visit_on(world, date(2025, 4, 28))
    invites = [FeedbackInviteFactory(program=world.program, visit=visit) for _ in range(2)]
    with program_scope(world.program):
        services.feedback_respond(
            program=world.program,
            invite=invites[0],
            by=invites[0].person,
            usefulness=5,
            would_recommend=10,
            comment="Answered through the page",
        )
        services.feedback_decline(program=world.program, invite=invites[1], by=invites[1].person)
    assert_results_are_live(world, "an invitation answered and one declined")

    with program_scope(world.program):
        moved = Visit.objects.get(pk=varied["april"].pk)
        moved.coach = world.other_coach
        moved.save()
    assert_results_are_live(world, "a visit moved to another coach")

    with program_scope(world.program):
        moved.visit_date = date(2024, 12, 30)
        moved.save()
    assert_results_are_live(world, "a visit moved to another quarter")

    with program_scope(world.program):
        Visit.objects.filter(pk=varied["small"].pk).update(visit_date=date(2025, 2, 1))
        Visit.objects.filter(pk=varied["january"].pk).update(coach=world.other_coach)
    assert_results_are_live(world, "visits moved in bulk")

    with program_scope(world.program):
        Visit.objects.get(pk=varied["theirs"].pk).delete()
    assert_results_are_live(world, "a visit deleted")

    with program_scope(world.program):
        Visit.objects.filter(visit_date__lt=date(2024, 6, 1)).delete()
    assert_results_are_live(world, "visits deleted in bulk")

    invites[0].person.delete()
    assert_results_are_live(world, "an invited person deleted")

    world.coach.delete()
    assert_results_are_live(world, "a coach deleted")


def test_rebuild_feedback_puts_a_damaged_summary_right(world, varied, other_world):
    answers(other_world, visit_on(other_world, date(2025, 4, 3)), (5, 10), (5, 10), (5, 10))
    derived.flush_pending()
    FeedbackQuarter.all_programs.filter(program=world.program).update(responses=99)
    FeedbackPracticeQuarter.all_programs.filter(program=world.program).delete()
    FeedbackResponse.all_programs.filter(program=world.program).update(coach=None)
    others = stored_groups(other_world.program)

    call_command("rebuild_feedback", "--program", world.program.slug)

    assert_results_are_live(world, "rebuild_feedback")
    assert stored_groups(other_world.program) == others == live_groups(other_world.program)
