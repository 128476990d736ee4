"""The practice report card: what a reader finds in it, and whose practices it may name."""

from coaching.reports.forms import NOT_FOUND, PracticeCardForm
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import DOMAINS


def test_the_card_names_the_practice_the_program_and_its_pages(card_world):
    texts = card_world.texts()
    everything = "\n".join(texts)
    assert 2 <= card_world.pages <= 4
    assert card_world.world.practice.name in texts[0]
    assert "Card PSP" in texts[0]
    assert "Practice report card" in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {card_world.pages}" in text
        assert "Made " in text
    for name in DOMAINS.values():
        assert name in everything


def test_the_card_shows_each_part_of_the_practice_history(card_world):
    everything = " ".join(" ".join(card_world.texts()).split())
    assert "Offer same-day appointments" in everything  # a goal of the plan
    assert "Reserve same-day slots" in everything and "overdue" in everything
    assert "Hours of logged visits per quarter" in everything
    assert "Review the same-day slots" in everything  # the planned visit
    assert "net promoter score" in everything
    assert "+25.0" in everything  # team roles: 40% at baseline, 65% now
    assert "South PSP" not in everything


def test_building_the_card_reports_progress_to_the_end(card_world):
    assert card_world.progress[0] == (0, 6)
    assert card_world.progress[-1] == (6, 6)


def test_a_practice_of_another_program_is_not_found(card_world):
    world, other = card_world.world, card_world.other
    with program_scope(world.program):
        form = PracticeCardForm({"practice": str(other.practice.pk)})
        assert not form.is_valid()
    assert form.errors["practice"] == [NOT_FOUND]


def test_a_coach_may_only_ask_for_the_practices_they_coach(card_world):
    world = card_world.world
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.coach)
        mine = PracticeCardForm({"practice": str(world.practice.pk)}, access=access)
        theirs = PracticeCardForm({"practice": str(world.other_practice.pk)}, access=access)
        assert mine.is_valid(), mine.errors
        assert not theirs.is_valid()
    assert theirs.errors["practice"] == [NOT_FOUND]


def test_a_period_ending_before_it_starts_is_refused(card_world):
    world = card_world.world
    with program_scope(world.program):
        form = PracticeCardForm(
            {"practice": str(world.practice.pk), "date_from": "2026-05-01", "date_to": "2026-01-01"}
        )
        assert not form.is_valid()
    assert "date_to" in form.errors
