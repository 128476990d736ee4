"""The program report: its summaries and a block per practice, the same queries for any number
of practices, progress to the end, and nothing of another program."""

from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from coaching.reports.forms import ProgramReportForm, program_params
from coaching.reports.program_report import build, describe
from psp.tenancy.scope import program_scope
from tests.coaching.reports.conftest import render
from tests.factories import CoachAssignmentFactory, PracticeFactory, VisitFactory


def _params(world, **data):
    with program_scope(world.program):
        form = ProgramReportForm(data)
        assert form.is_valid(), form.errors
        return program_params(form)


def _add_practices(world, count: int, start: int = 0):
    with program_scope(world.program):
        for i in range(start, start + count):
            practice = PracticeFactory(program=world.program, name=f"Bench Practice {i:03}")
            CoachAssignmentFactory(program=world.program, practice=practice, coach=world.coach)
            VisitFactory(program=world.program, practice=practice, coach=world.coach)


def _queries_of_build(world, params) -> int:
    with program_scope(world.program), CaptureQueriesContext(connection) as queries:
        sections = list(build(world.program, params, progress=lambda done, total: None))
    assert sections
    return len(queries)


def test_the_report_costs_the_same_queries_for_2_or_8_practices(
    card_world, django_assert_num_queries
):
    """Each count is taken after a first build, which brings the caseload standings up to date
    (computing stale standings is the caseload's own chunked work, tested there)."""
    world = card_world.world
    params = _params(world)
    _queries_of_build(world, params)
    with_two = _queries_of_build(world, params)  # the world's two practices
    _add_practices(world, 6)
    _queries_of_build(world, params)
    with program_scope(world.program), django_assert_num_queries(with_two):
        sections = list(build(world.program, params, progress=lambda done, total: None))
    practice_blocks = [s for s in sections if "practice-block" in s.html]
    assert len(practice_blocks) == 8


def test_the_report_has_every_summary_and_each_practice(card_world):
    world = card_world.world
    pdf, pages, steps = render(world, "program_report", _params(world))
    texts = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    everything = " ".join(" ".join(texts).split())
    for heading in (
        "Practices by stage",
        "Assessment change by domain",
        "Coaching dose",
        "Participant feedback",
        "Practices at risk",
        "Practices",
    ):
        assert heading in everything
    assert world.practice.name in everything and world.other_practice.name in everything
    assert "Workflow and scheduling" in everything
    assert "South PSP" not in everything
    assert f"Page {pages} of {pages}" in texts[-1]
    assert steps[-1][0] == steps[-1][1]  # progress reaches its total


def test_filters_narrow_the_practices_and_are_described(card_world):
    world = card_world.world
    params = _params(world, coach=str(world.other_coach.pk))
    with program_scope(world.program):
        sections = list(build(world.program, params, progress=lambda done, total: None))
        line = describe(world.program, params)
    html = "".join(s.html for s in sections)
    assert world.other_practice.name in html
    assert world.practice.name not in html
    assert "Coach: Other_Coach of Card PSP" in line


def test_a_coach_of_another_program_is_refused(card_world):
    world, other = card_world.world, card_world.other
    with program_scope(world.program):
        form = ProgramReportForm({"coach": str(other.coach.pk)})
        assert not form.is_valid()
    assert "coach" in form.errors
