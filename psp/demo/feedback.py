"""Demo participant feedback on the last year's visits: every attendee was asked; most answered,
some said "not this time", some never replied, and those asked after each practice's latest visit
have not answered yet, so the practice people's logins open on the in-app prompt.

The answers are stored apart from the invitations, with no link to the person, the day only, and
in shuffled order, as the feedback service stores them: nothing in the rows says who said what.
Most people found the visits useful (4 or 5) and would recommend the support (8 to 10); a few are
detractors, and their comments say why.
"""

import random
from datetime import timedelta

from django.utils import timezone

from coaching.models import FeedbackInvite, FeedbackResponse
from psp.demo.common import DemoProgram
from psp.tenancy.models import Sector

SINCE_DAYS = 365  # feedback was asked after the visits of the last year
ANSWERED, DECLINED = 0.78, 0.07  # the rest never replied
USEFULNESS = [(5, 45), (4, 37), (3, 12), (2, 4), (1, 2)]
RECOMMEND = {
    5: (10, 10, 9, 9, 8),
    4: (9, 9, 8, 8, 10, 7),
    3: (8, 7, 7, 6, 5),
    2: (6, 5, 4, 3),
    1: (4, 2, 0),
}
COMMENT_CHANCE = 0.5
COMMENTS = {
    Sector.PRIMARY_CARE: {
        "good": (
            "The booking cheat sheet made the first week much easier.",
            "Good to look at our own numbers together for once.",
            "Practical and to the point; the front desk felt heard.",
            "The registry search tips saved me an hour already.",
            "Helpful to have someone from outside see how we work.",
        ),
        "fair": (
            "Useful, but an hour was too short for everything on the agenda.",
            "Would have liked more time on the EHR part.",
            "Good ideas; not sure we have the staff to do them all.",
        ),
        "poor": (
            "Felt like a repeat of last month's visit.",
            "Started late and we lost most of the lunch hour.",
            "Too much talk about forms; we needed help with the phones.",
        ),
    },
    Sector.LAW: {
        "good": (
            "The intake checklist already saves us time.",
            "Clear and practical; the clerks finally get the conflict-check steps.",
            "Good to have someone from outside look at our files.",
            "The reply templates went into use the same afternoon.",
            "Useful session, and the CPD hours are a bonus.",
        ),
        "fair": (
            "Helpful, though the trust-accounting part went too fast.",
            "Good, but most of it was aimed at the bigger offices.",
            "Useful; would prefer early mornings, before court.",
        ),
        "poor": (
            "Too general for a two-lawyer office.",
            "We covered the same ground as last time.",
            "Ran over into client appointments.",
        ),
    },
}


def build(demo: DemoProgram) -> None:
    today = timezone.localdate(demo.now)
    rng = random.Random(f"feedback:{demo.program.slug}")
    asked = [
        entry
        for entry in demo.visits
        if entry.attendees and (today - entry.visit.visit_date).days <= SINCE_DAYS
    ]
    if not asked:
        return
    invites, answers = [], []
    for entry in asked:
        visit = entry.visit
        for person in entry.attendees:
            invite = FeedbackInvite(
                program=demo.program,
                visit=visit,
                person=person,
                created_at=visit.logged_at,
                emailed_at=visit.logged_at + timedelta(minutes=rng.randint(1, 5)),
            )
            invites.append(invite)
            if entry.is_last:
                continue  # just asked: waiting for an answer
            outcome = rng.random()
            replied_at = min(
                visit.logged_at + timedelta(hours=rng.randint(1, 96)),
                demo.now - timedelta(minutes=10),
            )
            if outcome < ANSWERED:
                invite.answered_at = replied_at
                answers.append(_answer(demo, visit, rng, timezone.localdate(replied_at)))
            elif outcome < ANSWERED + DECLINED:
                invite.declined_at = replied_at
    FeedbackInvite.objects.bulk_create(invites, batch_size=1000)
    # Stored in no particular order, so the answers' ids do not follow the invitations'.
    rng.shuffle(answers)
    FeedbackResponse.objects.bulk_create(answers, batch_size=1000)
    demo.created["feedback invitations"] += len(invites)
    demo.created["feedback answers"] += len(answers)


def _answer(demo: DemoProgram, visit, rng, day) -> FeedbackResponse:
    usefulness = rng.choices(*zip(*USEFULNESS, strict=True))[0]
    sector = visit.practice.sector if visit.practice.sector in COMMENTS else Sector.PRIMARY_CARE
    tone = "good" if usefulness >= 4 else "fair" if usefulness == 3 else "poor"
    comment = rng.choice(COMMENTS[sector][tone]) if rng.random() < COMMENT_CHANCE else ""
    return FeedbackResponse(
        program=demo.program,
        visit=visit,
        usefulness=usefulness,
        would_recommend=rng.choice(RECOMMEND[usefulness]),
        comment=comment,
        submitted_on=day,
    )
