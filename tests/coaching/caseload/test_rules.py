"""The caseload status rules (coaching/caseload.py), rule by rule and edge by edge: what flags a
practice, at which severity, what the flag says, and that 0 switches a check off. No database:
the rules are a pure function of a practice's facts and the program's CaseloadRules."""

from datetime import date, timedelta

import pytest

from coaching.caseload.rules import CaseloadStatus, PracticeFacts, Rule, caseload_status
from coaching.models import CaseloadRules, Severity

TODAY = date(2025, 11, 20)
STALLED, ATTENTION, ON_TRACK = (
    CaseloadStatus.STALLED,
    CaseloadStatus.ATTENTION,
    CaseloadStatus.ON_TRACK,
)


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def rules(**changes) -> CaseloadRules:
    """The defaults (45/90 days, 1/5 overdue actions, 60 days of plan progress, attention for
    both), with `changes`."""
    return CaseloadRules(**changes)


def verdict(rules_=None, **facts):
    # A practice visited yesterday, nothing overdue, no plan, no follow-up due: on track.
    facts.setdefault("last_visit_on", days_ago(1))
    return caseload_status(PracticeFacts(**facts), rules_ or rules(), today=TODAY)


def only_flag(result):
    assert len(result.flags) == 1, result.flags
    return result.flags[0]


def test_a_practice_with_nothing_wrong_is_on_track_with_no_reasons():
    result = verdict()
    assert result.status == ON_TRACK
    assert result.status_label == "On track"
    assert result.reasons == []


# Days without a visit ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "status"),
    [(44, ON_TRACK), (45, ATTENTION), (89, ATTENTION), (90, STALLED), (400, STALLED)],
)
def test_days_without_a_visit_flag_from_the_day_the_threshold_is_reached(days, status):
    assert verdict(last_visit_on=days_ago(days)).status == status


def test_the_visit_flag_says_how_long_and_which_rule():
    attention = only_flag(verdict(last_visit_on=days_ago(63)))
    stalled = only_flag(verdict(last_visit_on=days_ago(95)))

    assert attention.rule == Rule.NO_VISIT
    assert attention.message == "No visit in 63 days (program rule: needs attention after 45 days)"
    assert stalled.status == STALLED
    assert stalled.message == "No visit in 95 days (program rule: stalled after 90 days)"


def test_a_practice_never_visited_counts_from_when_the_coach_took_it_on():
    recent = verdict(last_visit_on=None, counted_from=days_ago(10))
    overdue = verdict(last_visit_on=None, counted_from=days_ago(50))

    assert recent.status == ON_TRACK
    assert overdue.status == ATTENTION
    assert overdue.reasons == [
        "Never visited: 50 days since the coach took it on "
        "(program rule: needs attention after 45 days)"
    ]


def test_a_practice_with_no_visit_and_no_start_date_is_not_flagged_for_visits():
    assert verdict(last_visit_on=None, counted_from=None).status == ON_TRACK


def test_0_switches_the_needs_attention_visit_check_off_but_not_the_stalled_one():
    no_attention = rules(attention_days_without_visit=0)

    assert verdict(no_attention, last_visit_on=days_ago(80)).status == ON_TRACK
    assert verdict(no_attention, last_visit_on=days_ago(90)).status == STALLED


def test_0_switches_the_stalled_visit_check_off():
    no_stall = rules(stalled_days_without_visit=0)

    result = verdict(no_stall, last_visit_on=days_ago(500))

    assert result.status == ATTENTION
    assert result.reasons == ["No visit in 500 days (program rule: needs attention after 45 days)"]


def test_both_visit_checks_off_never_flag_a_practice_for_visits():
    off = rules(attention_days_without_visit=0, stalled_days_without_visit=0)
    assert verdict(off, last_visit_on=days_ago(1000)).status == ON_TRACK


def test_one_day_is_said_in_the_singular():
    strict = rules(attention_days_without_visit=1)
    assert verdict(strict, last_visit_on=days_ago(1)).reasons == [
        "No visit in 1 day (program rule: needs attention after 1 day)"
    ]


# Overdue actions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overdue", "status"), [(0, ON_TRACK), (1, ATTENTION), (4, ATTENTION), (5, STALLED)]
)
def test_overdue_actions_flag_from_the_count_the_rule_names(overdue, status):
    result = verdict(overdue_actions=overdue, oldest_overdue_on=date(2025, 10, 12))
    assert result.status == status


def test_the_overdue_flag_names_the_count_and_the_oldest_due_date():
    one = only_flag(verdict(overdue_actions=1, oldest_overdue_on=date(2025, 10, 12)))
    three = only_flag(verdict(overdue_actions=3, oldest_overdue_on=date(2025, 10, 12)))
    six = only_flag(verdict(overdue_actions=6, oldest_overdue_on=date(2024, 12, 1)))

    assert one.rule == Rule.OVERDUE_ACTIONS
    assert (
        one.message == "1 action overdue, due 12 Oct (program rule: needs attention at 1 overdue)"
    )
    assert (
        three.message
        == "3 actions overdue, oldest due 12 Oct (program rule: needs attention at 1 overdue)"
    )
    assert (
        six.message
        == "6 actions overdue, oldest due 1 Dec 2024 (program rule: stalled at 5 overdue)"
    )


def test_a_higher_attention_count_lets_fewer_overdue_actions_pass():
    lenient = rules(attention_overdue_actions=3)

    assert verdict(lenient, overdue_actions=2).status == ON_TRACK
    assert verdict(lenient, overdue_actions=3).status == ATTENTION


def test_0_switches_either_overdue_check_off():
    no_attention = rules(attention_overdue_actions=0)
    no_stall = rules(stalled_overdue_actions=0)

    assert verdict(no_attention, overdue_actions=4).status == ON_TRACK
    assert verdict(no_attention, overdue_actions=5).status == STALLED
    assert verdict(no_stall, overdue_actions=50).status == ATTENTION


# Plan progress -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "status"), [(59, ON_TRACK), (60, ATTENTION), (200, ATTENTION)])
def test_no_plan_progress_flags_from_the_days_the_rule_names(days, status):
    result = verdict(has_active_plan=True, last_progress_on=days_ago(days))
    assert result.status == status


def test_the_plan_progress_flag_says_since_when():
    flag = only_flag(verdict(has_active_plan=True, last_progress_on=date(2025, 9, 1)))

    assert flag.rule == Rule.NO_PLAN_PROGRESS
    assert flag.message == (
        "No progress on the support plan in 80 days, last on 1 Sep "
        "(program rule: needs attention after 60 days)"
    )


def test_plan_progress_is_only_checked_while_a_plan_is_active():
    assert verdict(has_active_plan=False, last_progress_on=days_ago(300)).status == ON_TRACK


def test_plan_progress_takes_the_severity_the_program_chose():
    stalled = rules(no_plan_progress=Severity.STALLED)
    off = rules(no_plan_progress=Severity.OFF)
    no_days = rules(days_without_plan_progress=0)
    stale = {"has_active_plan": True, "last_progress_on": days_ago(90)}

    assert verdict(stalled, **stale).status == STALLED
    assert verdict(off, **stale).status == ON_TRACK
    assert verdict(no_days, **stale).status == ON_TRACK


def test_a_complete_plan_is_not_called_without_progress_but_asks_for_the_next_plan():
    """Northshore's case: every action of the plan done 108 days ago. Finishing the plan was
    progress; what the practice lacks is its next plan, and the reason says so."""
    complete = {"has_active_plan": True, "plan_complete": True}

    recent = verdict(last_progress_on=days_ago(59), **complete)
    flag = only_flag(verdict(last_progress_on=date(2025, 8, 4), **complete))

    assert recent.status == ON_TRACK
    assert flag.status == ATTENTION
    assert flag.rule == Rule.NO_PLAN_PROGRESS
    assert flag.message == (
        "Support plan complete since 4 Aug: no next plan in 108 days "
        "(program rule: needs attention after 60 days)"
    )
    assert "No progress" not in flag.message


def test_a_complete_plan_needs_attention_at_most_even_where_no_progress_stalls():
    stalled = rules(no_plan_progress=Severity.STALLED)
    off = rules(no_plan_progress=Severity.OFF)
    complete = {"has_active_plan": True, "plan_complete": True, "last_progress_on": days_ago(90)}

    assert verdict(stalled, **complete).status == ATTENTION
    assert verdict(off, **complete).status == ON_TRACK


# Follow-up assessment ----------------------------------------------------------------------------


def test_a_follow_up_due_today_is_not_yet_overdue():
    assert verdict(follow_up_due_on=TODAY).status == ON_TRACK
    assert verdict(follow_up_due_on=TODAY + timedelta(days=30)).status == ON_TRACK


def test_a_follow_up_past_its_due_date_flags_the_practice_and_says_which():
    flag = only_flag(
        verdict(follow_up_due_on=days_ago(1), follow_up_instrument="Practice readiness")
    )

    assert flag.rule == Rule.ASSESSMENT_OVERDUE
    assert flag.status == ATTENTION
    assert flag.message == (
        "Follow-up assessment (Practice readiness) overdue by 1 day, due 19 Nov"
    )


def test_an_overdue_follow_up_takes_the_severity_the_program_chose():
    overdue = {"follow_up_due_on": days_ago(40)}

    assert verdict(rules(assessment_overdue=Severity.STALLED), **overdue).status == STALLED
    assert verdict(rules(assessment_overdue=Severity.OFF), **overdue).status == ON_TRACK


def test_a_practice_never_assessed_has_no_follow_up_to_be_late_for():
    assert verdict(follow_up_due_on=None).status == ON_TRACK


# The worst flag wins -----------------------------------------------------------------------------


def test_the_status_is_the_worst_flag_and_every_reason_is_kept_worst_first():
    result = verdict(
        last_visit_on=days_ago(50),  # attention
        overdue_actions=7,  # stalled
        oldest_overdue_on=date(2025, 8, 3),
        follow_up_due_on=days_ago(5),  # attention
    )

    assert result.status == STALLED
    assert result.status_label == "Stalled"
    assert [flag.rule for flag in result.flags] == [
        Rule.OVERDUE_ACTIONS,
        Rule.NO_VISIT,
        Rule.ASSESSMENT_OVERDUE,
    ]
    assert (
        result.reasons[0]
        == "7 actions overdue, oldest due 3 Aug (program rule: stalled at 5 overdue)"
    )


def test_several_attention_flags_make_needs_attention_not_stalled():
    result = verdict(last_visit_on=days_ago(60), overdue_actions=2, follow_up_due_on=days_ago(3))

    assert result.status == ATTENTION
    assert result.status_label == "Needs attention"
    assert len(result.reasons) == 3
