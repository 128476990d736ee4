"""Reads of CPD activities: a person's own (My CPD), one activity in reach, the verifier's queue,
a person's activities for someone who may read them, and the rules an activity is credited by.

Reach: everyone reads their own activities; `cpd.view` adds others' (admins and managers the
whole program, a lead their practice's people, by the practice recorded on the activity); a
verifier (`cpd.verify`, or a CpdVerifier row) reads every activity that has left its draft, as
the queue and its decisions need. Anything else is out of reach: the same 404 as a missing id.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from cpd.activities.models import COUNTED, ActivityStatus, CpdActivity, CpdOffering
from cpd.schemes.cycles import cycle_for, scheme_for
from cpd.schemes.models import CpdCycle, CpdScheme, CpdVerifier
from cpd.schemes.rules import Rules
from cpd.schemes.selectors import may_verify
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability

VIEW, VERIFY = Capability.CPD_VIEW, Capability.CPD_VERIFY
EDITABLE = (ActivityStatus.DRAFT, ActivityStatus.SELF_REPORTED, ActivityStatus.REJECTED)
DELETABLE = (ActivityStatus.DRAFT, ActivityStatus.SELF_REPORTED)
SUBMITTABLE = (ActivityStatus.DRAFT, ActivityStatus.SELF_REPORTED, ActivityStatus.REJECTED)


# Who verifies ----------------------------------------------------------------------------------


def is_verifier(*, program, user) -> bool:
    """Admins (cpd.verify) and the people an admin named (CpdVerifier)."""
    admins = ProgramMembership.objects.filter(user=user, role=ProgramRole.ADMIN, is_active=True)
    return admins.exists() or CpdVerifier.objects.filter(user=user).exists()


def can_verify(access) -> bool:
    """Whether the person verifies CPD here (cpd.schemes.selectors.may_verify), kept on the
    access for the rest of the request: the queue's filters and pages ask it several times."""
    if "cpd_verifier" not in access._cache:
        access._cache["cpd_verifier"] = may_verify(access=access)
    return access._cache["cpd_verifier"]


# The rules an activity is credited by -----------------------------------------------------------


def rules_of(cycle: CpdCycle | None) -> Rules | None:
    """The rules of the version a cycle started under (None without a cycle)."""
    if cycle is None:
        return None
    return Rules.parse(cycle.version.rules)


@dataclass(frozen=True)
class PersonRules:
    """What a person's record form offers: their scheme on a day and its rules (the cycle's
    version when a cycle contains the day, the scheme's current version otherwise)."""

    scheme: object | None
    rules: Rules | None

    @property
    def categories(self) -> list[tuple[str, str]]:
        if self.rules is None:
            return []
        return [(c.key, c.name) for c in self.rules.categories]


def person_rules(*, program, person, on: date) -> PersonRules:
    cycle = cycle_for(program=program, person=person, on=on, create=False)
    if cycle is not None:
        return PersonRules(scheme=cycle.scheme, rules=rules_of(cycle))
    scheme = scheme_for(person=person, on=on)
    if scheme is None or scheme.current_version_id is None:
        return PersonRules(scheme=scheme, rules=None)
    return PersonRules(scheme=scheme, rules=Rules.parse(scheme.current_version.rules))


def person_practice_id(person) -> int | None:
    """The practice a person's CPD is filed under: their first active practice (a lead's
    before a staff member's), none for people who work for the program itself."""
    from practices.models import PracticeMembership

    rows = PracticeMembership.objects.filter(user=person, is_active=True)
    return rows.order_by("role", "pk").values_list("practice_id", flat=True).first()


# Activities in reach ---------------------------------------------------------------------------


def _reach(access) -> Q:
    if access.practice_ids(VIEW) is None and access.can(VIEW):
        return Q()  # the whole program (Q() alone matches every row; OR-ed, it would vanish)
    reach = Q(person=access.user)
    if access.can(VIEW):
        reach |= Q(practice_id__in=sorted(access.practice_ids(VIEW)))
    if can_verify(access):
        reach |= ~Q(status=ActivityStatus.DRAFT)
    return reach


def activities_in_reach(*, access) -> QuerySet[CpdActivity]:
    """Every activity the person may read, with what a list shows of it (one query)."""
    return CpdActivity.objects.filter(_reach(access)).select_related(
        "person", "practice", "cycle__scheme", "verified_by", "offering"
    )


def activity_in_reach(*, access, pk) -> CpdActivity:
    """One activity the person may read (else DoesNotExist, as for a missing id)."""
    return activities_in_reach(access=access).select_related("created_by").get(pk=pk)


def own_activities_in_reach(*, access) -> QuerySet[CpdActivity]:
    """For input naming an activity: the person's own."""
    return CpdActivity.objects.filter(person=access.user)


# My CPD ----------------------------------------------------------------------------------------


@dataclass
class CycleGroup:
    """A cycle's activities for My CPD (cycle None: those outside any cycle)."""

    cycle: CpdCycle | None
    activities: list = field(default_factory=list)

    @property
    def counted_credits(self):
        return sum((a.credits for a in self.activities if a.status in COUNTED), start=0)


def person_activities(*, person, access=None) -> QuerySet[CpdActivity]:
    """A person's activities, newest first (with `access`: those it may read of them)."""
    activities = CpdActivity.objects.filter(person=person)
    if access is not None:
        activities = activities.filter(_reach(access))
    return activities.select_related(
        "cycle__scheme", "cycle__version", "offering", "verified_by"
    ).order_by("-ended_on", "-pk")


def by_cycle(activities: Iterable[CpdActivity]) -> tuple[list, list[CycleGroup]]:
    """Drafts to confirm (on top of the page), and the rest grouped by cycle, newest cycle
    first and activities outside any cycle last. No query: `activities` are loaded."""
    drafts, groups = [], {}
    for activity in activities:
        if activity.status == ActivityStatus.DRAFT:
            drafts.append(activity)
            continue
        groups.setdefault(activity.cycle_id, CycleGroup(cycle=activity.cycle))
        groups[activity.cycle_id].activities.append(activity)
    ordered = sorted(
        groups.values(),
        key=lambda g: (g.cycle is None, -(g.cycle.starts_on.toordinal() if g.cycle else 0)),
    )
    return drafts, ordered


# People whose CPD someone may read -------------------------------------------------------------


def category_names(cycles) -> dict[int, dict[str, str]]:
    """{cycle id: {category key: name}} for loaded cycles (their versions joined): no query."""
    return {
        cycle.pk: {c.key: c.name for c in rules_of(cycle).categories}
        for cycle in cycles
        if cycle is not None
    }


def queue_count(*, access) -> int:
    """How many activities wait for the verifier (not their own)."""
    return verification_queue(access=access).filter(status=ActivityStatus.SUBMITTED).count()


def status_counts(*, person_ids) -> dict[int, dict[str, int]]:
    """{person id: {status: activities}} for a page of people (one grouped query)."""
    rows = (
        CpdActivity.objects.filter(person_id__in=list(person_ids))
        .values("person_id", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["person_id"], {})[row["status"]] = row["n"]
    return counts


def memberships_in_view(*, access) -> QuerySet[ProgramMembership]:
    """The program memberships of the people whose CPD `cpd.view` lets the person read: every
    member for admins and managers, a lead's practice's people. By name, with the person."""
    from practices.models import PracticeMembership

    if not access.can(VIEW):
        return ProgramMembership.objects.none()
    members = ProgramMembership.objects.filter(is_active=True).select_related("user")
    practice_ids = access.practice_ids(VIEW)
    if practice_ids is not None:
        in_practice = PracticeMembership.objects.filter(
            practice_id__in=sorted(practice_ids), is_active=True
        )
        members = members.filter(user_id__in=in_practice.values("user_id"))
    return members.order_by("user__full_name", "user__email", "pk")


def membership_in_view(*, access, pk) -> ProgramMembership:
    """One of those memberships (else DoesNotExist, as for a missing id)."""
    return memberships_in_view(access=access).get(pk=pk)


def queue_people(*, access) -> QuerySet:
    """Whom the queue's person filter may name: everyone with an activity in the person's
    reach (a verifier's reach is the program's submitted work)."""
    User = get_user_model()
    ids = activities_in_reach(access=access).values("person_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")


def verification_queue(*, access) -> QuerySet[CpdActivity]:
    """The verifier's queue: activities sent for verification, oldest first (the filters
    choose other statuses). Never the verifier's own. One query."""
    return (
        activities_in_reach(access=access)
        .exclude(status=ActivityStatus.DRAFT)
        .exclude(person=access.user)
        .order_by("submitted_at", "pk")
    )


# Program activities (offerings) ----------------------------------------------------------------


def offering_list() -> QuerySet[CpdOffering]:
    """The program's offerings, newest first, with how many drafts and confirmed activities
    each has (one query)."""
    counted = ~Q(activities__status=ActivityStatus.DRAFT)
    return (
        CpdOffering.objects.select_related("created_by")
        .annotate(
            attendees=Count("activities", distinct=True),
            confirmed=Count("activities", filter=counted, distinct=True),
        )
        .order_by("-started_on", "title", "pk")
    )


def offering_attendees(*, offering: CpdOffering) -> list[CpdActivity]:
    """The activities drafted from an offering, one per attendee, by name (one query)."""
    return list(
        CpdActivity.objects.filter(offering=offering)
        .select_related("person", "practice")
        .order_by("person__full_name", "person__email", "pk")
    )


def program_people() -> QuerySet:
    """The program's active members, by name, with their role (attendees are chosen among
    them). One query."""
    return (
        ProgramMembership.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def scheme_categories() -> list[tuple[str, str]]:
    """Every category of the program's active schemes' current rules, each key once, with its
    name (an offering's category counts for each attendee whose rules have it)."""
    found: dict[str, str] = {}
    schemes = CpdScheme.objects.filter(is_active=True, current_version__isnull=False)
    for scheme in schemes.select_related("current_version").order_by("name", "pk"):
        for category in Rules.parse(scheme.current_version.rules).categories:
            found.setdefault(category.key, f"{category.name} ({scheme.name})")
    return list(found.items())


def program_member_users() -> QuerySet:
    """The program's active people (for input naming attendees)."""
    return get_user_model().objects.filter(
        pk__in=ProgramMembership.objects.filter(is_active=True).values("user_id")
    )
