"""axe-core finds nothing serious or critical on the pages each kind of person uses first, on a
laptop (1280x900) and on a phone (390x844), with the demo's data in them.

The demo is seeded once for the module: the live server needs committed data, which a
transactional test empties when it ends, so the sweep is one test and each page at each size is a
subtest of its own (a failure names the page, the person, the size and each finding)."""

import time
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from assessments.models import Assessment, AssessmentKind, AssessmentStatus, ConsensusAnswer
from coaching.models import PlanStatus, SupportPlan
from practices.models import Practice
from psp.accounts.models import User
from psp.demo.assessments import IN_PROGRESS
from psp.demo.common import DEMO_PASSWORD, DEMO_TOTP_SECRET
from psp.demo.programs import NORTHERN
from psp.demo.seed import demo_seed
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope
from tests.browser.axe import AXE_CONTEXT_ARGS, assert_no_serious_findings, require_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"1280x900": {"width": 1280, "height": 900}, "390x844": {"width": 390, "height": 844}}
# Who looks at what (the demo's people, README.md): each role's home, and each page in the hands
# of someone who uses it. Each page once: axe takes seconds on a big page (the API reference
# takes about ten), and the header a signed-in person sees there is every other page's.
ADMIN = "Priya Natarajan"
MANAGER = "Marcus Bell"
COACH = "Aisha Mensah"  # coaches Northshore, whose round is being answered
LEAD = "Dr. Amara Okonkwo"
STAFF = "Luc Tremblay"  # has Northshore's round to continue


@dataclass
class Visit:
    page: str
    path: str


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **AXE_CONTEXT_ARGS}


@pytest.fixture
def tour(transactional_db) -> dict[str | None, list[Visit]]:
    """The seeded demo, and by person (None: signed out) the pages they visit."""
    demo_seed()
    program = Program.objects.get(slug=NORTHERN)
    slug = program.slug
    with program_scope(program):
        practice = Practice.objects.get(name=IN_PROGRESS[NORTHERN])
        open_round = Assessment.objects.get(practice=practice, status=AssessmentStatus.OPEN)
        submitted = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED)
        follow_up = submitted.filter(kind=AssessmentKind.FOLLOW_UP).first()
        agreed = ConsensusAnswer.objects.filter(decided_by__isnull=False)
        consensus = submitted.filter(pk__in=agreed.values("assessment_id")).first()
        plan = SupportPlan.objects.filter(status=PlanStatus.ACTIVE).first()

    def url(name, **kwargs):
        return reverse(name, kwargs={"program": slug, **kwargs})

    home = Visit("home", url("program_home"))
    return {
        None: [Visit("login", reverse("account_login")), Visit("API docs", reverse("api-docs"))],
        ADMIN: [home],
        MANAGER: [
            home,
            # A manager's people page: the invitations table without the admin's buttons in it.
            Visit("people", url("people:list")),
            Visit("results", url("assessments:results", pk=follow_up.pk)),
            Visit("consensus", url("assessments:consensus", pk=consensus.pk)),
            Visit("plan", url("plans:detail", pk=plan.pk)),
        ],
        COACH: [
            home,
            Visit("caseload", url("caseload:mine")),
            Visit("visit form", url("visits:log") + f"?practice={practice.pk}"),
            Visit("practice", url("practices:detail", pk=practice.pk)),
            Visit("timeline", url("practice_coaching:timeline", practice_pk=practice.pk)),
            Visit("consensus (open round)", url("assessments:consensus", pk=open_round.pk)),
        ],
        LEAD: [home],
        STAFF: [
            home,
            Visit("answer step", url("assessments:answer", pk=open_round.pk)),
        ],
    }


def test_each_persons_pages_have_no_serious_or_critical_axe_findings(
    live_server, page, tour, subtests, settings
):
    require_axe()  # before anything else: a missing axe-core must not pass as "no findings"
    settings.MFA_TOTP_TOLERANCE = 1
    for name, visits in tour.items():
        page.context.clear_cookies()
        if name is not None:
            sign_in(page, live_server, User.objects.get(full_name=name))
        for visit in visits:
            for size, viewport in SIZES.items():
                where = f"{visit.page} ({visit.path}) as {name or 'nobody'} at {size}"
                with subtests.test(msg=where):
                    page.set_viewport_size(viewport)
                    response = page.goto(live_server.url + visit.path)
                    assert response.status == 200, f"{where} answered {response.status}"
                    page.wait_for_load_state("networkidle")  # htmx fills some panels in
                    assert_no_serious_findings(page, where)


def sign_in(page, live_server, person):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(person.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/" in page.url:
        # Admins sign in with a TOTP code too (the demo's shared secret).
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
        page.locator("input[name=code]").fill(code)
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
