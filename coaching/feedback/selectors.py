"""Reads of participant feedback: a person's own invitations (for the feedback page, the home
page prompt and the API), and the results rolled up per coach and for the program.

Anonymity: results are counted per group (a coach's visits in a quarter; the program's in a
quarter). A group with fewer than MIN_ANSWERS answers shows no numbers and none of its comments.
A coach's totals add up only the quarters shown, and the program's line adds up only the coaches'
groups shown, so a hidden group cannot be worked out by subtracting the others from a total.
The figures are read from the stored summary (coaching/feedback/summary.py: per coach and
quarter, kept current after every write) and each coach's comments from an index on the answers'
copied coach and quarter, only as many quarters as the 50 shown need: the page reads a fixed
number of rows per coach, not the program's every answer.

Comments carry their text and the quarter of the visit (a group shown, so of three answers or
more), in the order of their text within the quarter: never the visit, its date, the month or
the order they came in, the practice or the person. A coach who made one visit in a month could
otherwise tell whose comment that month's is.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from coaching.feedback.models import FeedbackInvite, FeedbackQuarter, FeedbackResponse
from coaching.visits.models import Visit, VisitStatus
from practices import derived
from psp.tenancy.models import ProgramMembership, ProgramRole

MIN_ANSWERS = 3
PROMPT_DAYS = 30
QUARTERS = 4
COMMENTS_PER_COACH = 50
# The net promoter score's groups, by the 0-10 "would recommend" answer (the KPI measure of
# coaching/feedback/measures.py counts the same way).
PROMOTER = Q(would_recommend__gte=9)
DETRACTOR = Q(would_recommend__lte=6)


# A person's own invitations -----------------------------------------------------------------


def invites_of(*, user) -> QuerySet[FeedbackInvite]:
    """The invitations sent to `user` in the program in scope, newest visit first, each with its
    visit's coach and practice."""
    return (
        FeedbackInvite.objects.filter(person=user)
        .select_related("visit__coach", "visit__practice")
        .order_by("-visit__visit_date", "-pk")
    )


def invite_of(*, user, pk) -> FeedbackInvite:
    """One of `user`'s own invitations; DoesNotExist for anyone else's (the same as missing)."""
    return invites_of(user=user).get(pk=pk)


def prompt_invites(*, user, today: date | None = None, limit: int = 5) -> list[FeedbackInvite]:
    """What the home page asks `user` about: their unanswered, undeclined invitations for
    logged visits of the last PROMPT_DAYS days, newest first. One query."""
    today = today or timezone.localdate()
    return list(
        invites_of(user=user).filter(
            answered_at__isnull=True,
            declined_at__isnull=True,
            visit__status=VisitStatus.LOGGED,
            visit__visit_date__gte=today - timedelta(days=PROMPT_DAYS),
            visit__visit_date__lte=today,
        )[:limit]
    )


# Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    start: date

    @property
    def number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.start.year}"

    @property
    def months(self) -> str:
        end = date(self.start.year, self.start.month + 2, 1)
        return f"{self.start:%b}–{end:%b} {self.start.year}"

    def previous(self) -> "Quarter":
        if self.start.month == 1:
            return Quarter(date(self.start.year - 1, 10, 1))
        return Quarter(date(self.start.year, self.start.month - 3, 1))


def quarter_of(day: date) -> Quarter:
    return Quarter(date(day.year, (day.month - 1) // 3 * 3 + 1, 1))


def last_quarters(today: date | None = None, count: int = QUARTERS) -> list[Quarter]:
    """The last `count` quarters, the current one included, newest first."""
    quarters = [quarter_of(today or timezone.localdate())]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def _half_up(value: Fraction) -> int:
    """Round to the nearest whole number, halves away from zero (12.5 → 13, −12.5 → −13)."""
    sign = -1 if value < 0 else 1
    return sign * floor(abs(value) + Fraction(1, 2))


def net_promoter_score(promoters: int, detractors: int, answers: int) -> int | None:
    """% answering 9–10 minus % answering 0–6, rounded to a whole number (−100 to 100)."""
    if not answers:
        return None
    return _half_up(Fraction(100 * (promoters - detractors), answers))


@dataclass
class Figures:
    """The counts of one group; the numbers shown are worked out from them."""

    invites: int = 0
    answered: int = 0
    responses: int = 0
    usefulness_sum: int = 0
    promoters: int = 0
    detractors: int = 0
    comments: int = 0  # answers with a comment: how many quarters a coach's comments need

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )

    @property
    def hidden(self) -> bool:
        """Too few answers to show anything without pointing at who gave them."""
        return self.responses < MIN_ANSWERS

    @property
    def average_usefulness(self) -> Decimal | None:
        if not self.responses:
            return None
        average = Decimal(self.usefulness_sum) / Decimal(self.responses)
        return average.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def nps(self) -> int | None:
        return net_promoter_score(self.promoters, self.detractors, self.responses)

    @property
    def response_rate(self) -> int | None:
        """Invitations answered, as a whole percentage of invitations sent."""
        if not self.invites:
            return None
        return _half_up(Fraction(100 * self.answered, self.invites))

    def as_dict(self) -> dict:
        """For the API: the numbers, or nulls (and `hidden`) for a group too small to show."""
        shown = not self.hidden
        return {
            "hidden": self.hidden,
            "responses": self.responses if shown else None,
            "average_usefulness": self.average_usefulness if shown else None,
            "nps": self.nps if shown else None,
            "invites": self.invites if shown else None,
            "response_rate": self.response_rate if shown else None,
        }


@dataclass
class Comment:
    text: str
    quarter: Quarter  # of the visit: the group whose figures the comment belongs with


@dataclass
class GroupResults:
    """One coach's results (or the program's when `coach` is None and `is_program`)."""

    coach: object | None
    quarters: list[tuple[Quarter, Figures]]
    is_program: bool = False
    comments: list[Comment] = field(default_factory=list)

    @property
    def total(self) -> Figures:
        """The quarters shown, added up (hidden quarters stay out: see the module's note)."""
        total = Figures()
        for _, figures in self.quarters:
            if not figures.hidden:
                total = total + figures
        return total

    @property
    def any_feedback(self) -> bool:
        return any(figures.invites or figures.responses for _, figures in self.quarters)

    @property
    def has_hidden(self) -> bool:
        return any(figures.hidden and figures.responses for _, figures in self.quarters)

    @property
    def name(self) -> str:
        if self.is_program:
            return "The program"
        return self.coach.get_full_name() if self.coach else "Coaches no longer in the program"


@dataclass
class Results:
    quarters: list[Quarter]
    program: GroupResults | None
    coaches: list[GroupResults]
    threshold: int = MIN_ANSWERS


def feedback_results(*, access, today: date | None = None) -> Results:
    """Feedback on visits of the last QUARTERS quarters, by the visit's quarter: for admins and
    managers every coach and the program; for a coach their own visits only. Three queries,
    whatever the number of coaches, visits and answers."""
    derived.flush_pending()  # a write of this transaction first
    quarters = last_quarters(today)
    own_only = not (access.is_admin or access.is_manager)

    stored = FeedbackQuarter.objects.filter(quarter__gte=quarters[-1].start)
    if own_only:
        stored = stored.filter(coach=access.user)
    groups: dict[tuple[int | None, date], Figures] = {}
    _add_stored(stored, groups)
    people = _coaches_shown(access, own_only=own_only, groups=groups)
    coaches = {
        coach_id: GroupResults(
            coach=people.get(coach_id),
            quarters=[(q, groups.get((coach_id, q.start), Figures())) for q in quarters],
        )
        for coach_id in people
    }
    _add_comments(groups, coaches, quarters)
    program = None if own_only else _program_line(groups, quarters)

    def order(result: GroupResults):
        if result.coach is None:
            return (1, "")
        return (0, (result.coach.full_name or result.coach.email).lower())

    listed = sorted(
        (result for result in coaches.values() if result.coach is not None or result.any_feedback),
        key=order,
    )
    return Results(quarters=quarters, program=program, coaches=listed)


def _add_stored(stored, groups: dict) -> None:
    """The summary's (coach, quarter) groups; rows sharing a key (a deleted coach's) add up.
    One query."""
    names = list(Figures.__dataclass_fields__)
    rows = (
        stored.values("coach_id", "quarter")
        .annotate(**{name: Sum(name) for name in names})
        .order_by()
    )
    for row in rows:
        groups[(row["coach_id"], row["quarter"])] = Figures(**{name: row[name] for name in names})


def _coaches_shown(access, *, own_only: bool, groups: dict) -> dict:
    """The coaches with a line of their own, by id: the person alone when they see only their
    own visits; else the program's coaches now and whoever made a visit with feedback (None
    for visits whose coach is gone). At most one query."""
    if own_only:
        return {access.user.pk: access.user}
    coach_ids = {coach_id for coach_id, _ in groups}
    coaches_now = ProgramMembership.objects.filter(is_active=True, role=ProgramRole.COACH).values(
        "user_id"
    )
    people = {
        person.pk: person
        for person in get_user_model().objects.filter(
            Q(pk__in=coaches_now) | Q(pk__in=[pk for pk in coach_ids if pk is not None])
        )
    }
    return {coach_id: people.get(coach_id) for coach_id in coach_ids | set(people)}


def _add_comments(groups: dict, coaches: dict, quarters: list[Quarter]) -> None:
    """Each coach's comments of the groups shown, newest quarter first, in the order of their
    text, at most COMMENTS_PER_COACH: read from only the quarters those need. At most one
    query."""
    wanted = Q()
    for coach_id in coaches:
        needed, count = [], 0
        for quarter in quarters:  # newest first
            group = groups.get((coach_id, quarter.start))
            if group is None or group.hidden or not group.comments:
                continue
            needed.append(quarter.start)
            count += group.comments
            if count >= COMMENTS_PER_COACH:
                break
        if needed:
            coach = Q(coach__isnull=True) if coach_id is None else Q(coach_id=coach_id)
            wanted |= coach & Q(quarter__in=needed)
    if not wanted:
        return
    rank = Window(
        RowNumber(),
        partition_by=[F("coach_id")],
        order_by=[F("quarter").desc(), F("comment").asc()],
    )
    comment_rows = (
        FeedbackResponse.objects.exclude(comment="")
        .filter(wanted)
        .annotate(rank=rank)
        .filter(rank__lte=COMMENTS_PER_COACH)
        .values_list("coach_id", "quarter", "comment")
        .order_by("-quarter", "comment")
    )
    for coach_id, quarter_start, text in comment_rows:
        coaches[coach_id].comments.append(Comment(text=text, quarter=Quarter(quarter_start)))


def _program_line(groups: dict, quarters: list[Quarter]) -> GroupResults:
    """The program's figures per quarter: the coaches' groups that are shown, added up."""
    per_quarter = []
    for quarter in quarters:
        total = Figures()
        for (_, start), group in groups.items():
            # Only the coaches' groups that are shown: otherwise the program line minus
            # the coaches shown would give away a hidden group's numbers.
            if start == quarter.start and not group.hidden:
                total = total + group
        per_quarter.append((quarter, total))
    return GroupResults(coach=None, quarters=per_quarter, is_program=True)


def coach_results(*, access, coach_id: int, today: date | None = None) -> GroupResults | None:
    """One coach's results as `feedback_results` gives them (the API's per-coach read)."""
    results = feedback_results(access=access, today=today)
    return next(
        (r for r in results.coaches if r.coach is not None and r.coach.pk == coach_id), None
    )


def coach_in_results(*, access, user_id: int):
    """The person whose results `access` may read one by one (the API's per-coach read): a
    member of the program who coaches, or who made visits as a coach (a former coach's results
    stay readable); a coach reads only their own. None for anyone else, a manager or a
    practice's staff as much as an id outside the program."""
    coached = Visit.objects.filter(coach_id=OuterRef("user_id"))
    members = ProgramMembership.objects.filter(user_id=user_id).filter(
        Q(role=ProgramRole.COACH) | Q(Exists(coached))
    )
    if not (access.is_admin or access.is_manager):
        members = members.filter(user_id=access.user.pk)
    membership = members.select_related("user").first()
    return membership.user if membership is not None else None
