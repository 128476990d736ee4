"""What the CPD progress tests share: small schemes, recording through the services (so the
cycles and their statuses are made as in use), and reading pages and rows back."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cpd.activities import services
from cpd.models import CpdActivity, CpdCycle
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import family
from tests.cpd.scheme_factories import make_scheme

TODAY = timezone.localdate()


def small_rules(**changes) -> dict:
    """10 credits a year from each person's own start date, 5 of them certified; workshops a
    credit an hour, reading half a credit an article up to 2 a cycle."""
    return family(
        **{
            "cycle": {"years": 1, "start": "personal"},
            "required__total": 10,
            "required__per_year": None,
            "categories__0__minimum": 5,
            "categories__2__minimum": 0,
            "credit_rules__2__cap_per_cycle": 2,
            "carry_over": None,
            **changes,
        }
    )


def small_scheme(world, **changes):
    return make_scheme(world.program, small_rules(**changes), code="small", name="Small scheme")


def record(world, person, *, days_ago=20, hours="3", submit=False, **changes) -> CpdActivity:
    day = TODAY - timedelta(days=days_ago)
    data = {
        "activity_type": "workshop",
        "title": f"Workshop {days_ago} days ago",
        "provider": "College",
        "started_on": day,
        "ended_on": day,
        "hours": hours,
        "reflection": {"learned": "Something useful."},
    } | changes
    with program_scope(world.program):
        return services.activity_record(program=world.program, by=person, data=data, submit=submit)


def act(world, name, activity, by, **kwargs):
    with program_scope(world.program):
        return getattr(services, name)(program=world.program, activity=activity, by=by, **kwargs)


def cycle_of(world, activity) -> CpdCycle:
    with program_scope(world.program):
        return CpdCycle.objects.get(activities=activity.pk)


def fresh_cycle(world, cycle) -> CpdCycle:
    with program_scope(world.program):
        return CpdCycle.objects.get(pk=cycle.pk)


def url(world, name, **kwargs) -> str:
    return reverse(f"cpd:{name}", kwargs={"program": world.program.slug, **kwargs})


def membership_of(world, person):
    with program_scope(world.program):
        return person.program_memberships.get()


def standings_computed(world) -> None:
    """The program's CPD standings computed in full, as the nightly job does."""
    from cpd.progress.standings import standings_rebuild

    with program_scope(world.program):
        standings_rebuild(program=world.program, today=TODAY)
