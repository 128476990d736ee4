"""The cross-program walk (DESIGN.md section 4, layer 5).

Programs A (North PSP) and B (South PSP) each hold one row of every program-owned model. For every
route whose path names a program, pages and API alike, A's admin (signed in, and for the API also
with A's token) asks for B's objects through A's URL and through B's URL, with every method the
route takes and with bodies that would change things. Every answer is 404, and afterwards B's
rows are exactly as they were. A route whose object kwargs follow no convention fails by name
(tests/tenancy/routes.py), and so does a model the walk cannot build (tests/tenancy/builders.py).
"""

import json
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import models
from django.test import Client
from rest_framework.test import APIClient

from psp.accounts.models import ApiToken, User
from psp.tenancy.access import access_for
from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import MembershipFactory
from tests.tenancy import routes as walk_routes
from tests.tenancy.builders import (
    ROUTE_ROWS,
    one_of_everything,
    program_owned_models,
    related_choice,
    rows_for,
    snapshot,
)
from tests.tenancy.routes import UnmappableRoute, object_models, program_routes

ROUTES = program_routes()
PAGE_ROUTES = [route for route in ROUTES if route.kind == "page"]
API_ROUTES = [route for route in ROUTES if route.kind == "api"]

# Floors, raised as routes are added: if discovery breaks, the walk must not pass by walking less.
MIN_PAGE_ROUTES = 193  # checklists, templates, assignments, follow-up: issue 14
MIN_API_ROUTES = 140

NO_SUCH_PROGRAM = "no-such-program"

# Routes outside any program, each a conscious decision: nothing tenant-owned is served there.
OUTSIDE_PROGRAMS = {
    "healthz": "liveness probe; reads no rows",
    "favicon": "redirects to the static icon; reads no rows",
    "home": "redirects to one of the person's own programs",
    "program_switcher": "lists the person's own memberships",
    "invitations:accept": "the secret token in the link names the program",
    "verify:check": "public check of a CPD document's code: the code names the credential, "
    "and the answer shows only what its paper says (cpd/credentials/views.py)",
    "verify:code": "the same check, from the link printed on the transcript or certificate",
    "api-schema": "the OpenAPI document; no data",
    "api-docs": "the API reference, rendered from the schema; no data",
}
OUTSIDE_PREFIXES = {
    "accounts/": "allauth: sign in, password, email and MFA of the person",
    "admin/": "Django admin, for platform operators (uses the cross-program manager)",
}

# Counts for the terminal summary (tests/tenancy/conftest.py).
WALKED: dict[str, set | int] = {"page": set(), "api": set(), "requests": 0}


# Request bodies ----------------------------------------------------------------------------


def _scalar(model_field) -> object | None:
    if model_field.choices:
        return model_field.choices[-1][0]
    if isinstance(model_field, models.EmailField):
        return "hijacked@example.org"
    if isinstance(model_field, models.CharField | models.TextField):
        return "Hijacked"
    if isinstance(model_field, models.BooleanField):
        return False
    if isinstance(model_field, models.IntegerField):
        return 7
    if isinstance(model_field, models.DateTimeField):
        return "2030-01-01T00:00:00Z"
    if isinstance(model_field, models.DateField):
        return "2030-01-01"
    return None


def _body(rows: dict, person, program, **fixed) -> dict:
    """A plausible body for any of our forms and serializers: a value for every editable field
    name of every program-owned model, relations pointing at `rows` (one program's objects)."""
    body: dict = {}
    for model in program_owned_models():
        for model_field in model._meta.fields:
            name = model_field.name
            if not model_field.editable or model_field.primary_key or name in body:
                continue
            if name == "program":
                continue
            if model_field.is_relation:
                related = model_field.related_model
                target = person if related is User else rows.get(related)
                if target is not None:
                    body[name] = target.pk
            else:
                value = _scalar(model_field)
                if value is not None:
                    body[name] = value
    return body | {"program": program.pk} | fixed


def _relation_names() -> list[str]:
    return sorted(
        {
            f.name
            for model in program_owned_models()
            for f in model._meta.fields
            if f.is_relation and f.editable and f.name != "program"
        }
    )


# The walk ----------------------------------------------------------------------------------


@dataclass
class Walk:
    a: object
    b: object
    rows_a: dict
    rows_b: dict
    token_a: str
    coach_token_a: str = ""
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    _probed: dict = field(default_factory=dict)

    # Clients: A's admin, signed in; for the API also A's token. Routes only coaches and
    # practice people act on (WALKED_AS_COACH) refuse an admin before any lookup (403 whatever
    # the id): A's coach walks them, so that the walk reaches the lookup.
    def clients(self, route) -> list[tuple[str, Client]]:
        if route.is_drf:
            person, key = self.a.admin, self.token_a
            if route.name in WALKED_AS_COACH:
                person, key = self.a.coach, self.coach_token_a
            session = APIClient()
            session.force_login(person)
            token = APIClient()
            token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            return [("session", session), ("token", token)]
        session = Client()
        session.force_login(self.a.admin)
        return [("session", session)]

    def hijack(self) -> dict:
        """Would move B's object into A, rename it, promote it, deactivate it."""
        return _body(
            self.rows_a,
            self.a.coach,
            self.a.program,
            name="Hijacked",
            stage="pilot",
            to_stage="pilot",
            role="admin",
        )

    def injections(self) -> list[dict]:
        """A's own requests with B's objects or people in related fields: all of them at once,
        and each alone in an otherwise plausible body of A's (so one validated field cannot
        hide another that is not)."""
        fixed = {"role": "practice", "practice_role": "lead"}
        theirs = _body(self.rows_b, self.b.coach, self.b.program, **fixed)
        mine = _body(self.rows_a, self.a.coach, self.a.program, **fixed)
        relations = [name for name in _relation_names() if name in mine and name in theirs]
        return [theirs] + [{**mine, name: theirs[name]} for name in relations]

    def send(self, client, route, method, url, body, **headers):
        self.requests += 1
        if method in ("GET", "DELETE") or body is None:
            return getattr(client, method.lower())(url, headers=headers)
        if route.is_drf:
            return getattr(client, method.lower())(url, body, format="json", headers=headers)
        return client.post(url, body, headers=headers)

    def fail(self, route, who, method, url, detail):
        self.failures.append(f"{route.name} [{who}] {method} {url}: {detail}")

    def leaks_b(self, response) -> bool:
        """Does the answer name program B? Its slug is in its people's email addresses and its
        name in its practices' names (tests/conftest.py build_world), so either gives B away."""
        text = response.content.decode(errors="replace").lower()
        markers = (self.b.program.slug, self.b.program.name.lower())
        return any(marker in text for marker in markers)

    def expect_404(self, route, who, client, method, url, body, own_url, **headers):
        try:
            response = self.send(client, route, method, url, body, **headers)
        except Exception as error:  # noqa: BLE001 - a crash is reported with the route
            self.fail(route, who, method, url, f"raised {type(error).__name__}: {error}")
            return
        if response.status_code == 405 and self._also_405(route, who, client, method, own_url):
            return  # the method is not taken at all: the same answer for A's own objects
        if response.status_code != 404:
            self.fail(route, who, method, url, f"answered {response.status_code}, not 404")
        elif self.leaks_b(response):
            self.fail(route, who, method, url, "404 page names program B's data")

    def _also_405(self, route, who, client, method, own_url) -> bool:
        key = (route.name, who, method)
        if key not in self._probed:
            self._probed[key] = self.send(client, route, method, own_url, {}).status_code == 405
        return self._probed[key]


def _values(chosen: dict, mapping: dict) -> dict:
    return {kwarg: getattr(chosen[kwarg], mapping[kwarg][1]) for kwarg in mapping}


def walk_route(route, walk: Walk) -> None:
    a, b = walk.a.program, walk.b.program
    with program_scope(a):
        access = access_for(program=a, user=walk.a.admin)
        mapping = object_models(route, program=a, access=access, user=walk.a.admin)
    wanted = {kwarg: model for kwarg, (model, _) in mapping.items()}
    rows_a = rows_for(route.name, walk.a, walk.rows_a)
    rows_b = rows_for(route.name, walk.b, walk.rows_b)
    mine = _values(related_choice(rows_a, wanted), mapping) | route.value_kwargs
    theirs = _values(related_choice(rows_b, wanted), mapping) | route.value_kwargs
    own_url = route.url(program=a.slug, **mine)

    # (program in the URL, object kwargs): B's objects through A's URL and through B's; with
    # several object kwargs also each of B's objects alone among A's.
    variants = [(b.slug, theirs), (NO_SUCH_PROGRAM, theirs)]
    if mapping:
        variants.insert(0, (a.slug, theirs))
    if len(mapping) > 1:
        variants += [(a.slug, {**mine, kwarg: theirs[kwarg]}) for kwarg in mapping]

    before = snapshot(b)
    clients = walk.clients(route)
    for who, client in clients:
        control = client.get(own_url)
        if control.status_code == 404:
            walk.fail(
                route, who, "GET", own_url, "404 for A's own objects: the walk proves nothing"
            )
        for method in route.methods():
            bodies = [None] if method in ("GET", "DELETE") else [{}, walk.hijack()]
            for slug, kwargs in variants:
                url = route.url(program=slug, **kwargs)
                for body in bodies:
                    walk.expect_404(route, who, client, method, url, body, own_url)
                if not route.is_drf:  # pages may answer htmx with a fragment of their own
                    hx = {"HX-Request": "true"}
                    walk.expect_404(route, who, client, method, url, bodies[-1], own_url, **hx)
    # Last, as it may change A's own rows (even A's admin's membership).
    for who, client in clients:
        _inside_a(route, walk, who, client, own_url)
    after = snapshot(b)
    for table, rows in before.items():
        if after[table] != rows:
            walk.failures.append(f"{route.name}: program B's {table} rows changed: {after[table]}")
    walk.failures += [f"{route.name}: {problem}" for problem in cross_program_references(walk)]


def _inside_a(route, walk: Walk, who, client, own_url) -> None:
    """A's own URL with B's objects named only in the input: nothing of B comes back, nothing
    of B gets attached (checked after the walk by cross_program_references)."""
    injections = walk.injections()
    if "GET" in route.methods() and not route.object_kwargs:
        relations = {k: v for k, v in injections[0].items() if k in _relation_names()}
        htmx = {} if route.is_drf else {"HX-Request": "true"}
        # A search term that matches B's practice (and A's: "Health Centre"), without naming B,
        # which the page may echo back; as a practice's name too (the lists' `practice_name`,
        # and the matches a practice search box offers, practices:options).
        term = walk.b.practice.name.replace(walk.b.program.name, "").strip() or "e"
        queries = ({}, {"search": term, "q": term, "practice_name": term}, relations)
        for query, headers in [(q, {}) for q in queries] + [(relations, htmx)]:
            walk.requests += 1
            response = client.get(own_url, query, headers=headers)
            if response.status_code >= 500:
                walk.fail(route, who, "GET", own_url, f"answered {response.status_code}")
            elif walk.leaks_b(response):
                walk.fail(route, who, "GET", f"{own_url}?{query}", "shows program B's data")
            elif (ids := _listed_ids(response)) and (stray := ids & _b_ids(route, walk)):
                walk.fail(route, who, "GET", own_url, f"lists program B's ids {sorted(stray)}")
    for method in route.methods():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        for body in injections:
            try:
                response = walk.send(client, route, method, own_url, body)
            except Exception as error:  # noqa: BLE001
                walk.fail(route, who, method, own_url, f"B's ids in {body} raised {error!r}")
                continue
            if response.status_code >= 500:
                walk.fail(route, who, method, own_url, f"B's ids in {body}: {response.status_code}")
            elif walk.leaks_b(response):
                walk.fail(route, who, method, own_url, "the answer names program B's data")


def _listed_ids(response) -> set[int]:
    if "json" not in response.get("Content-Type", ""):
        return set()
    data = json.loads(response.content)
    items = data.get("results", []) if isinstance(data, dict) else data
    return {item["id"] for item in items if isinstance(item, dict) and "id" in item}


def _b_ids(route, walk: Walk) -> set[int]:
    with program_scope(walk.a.program):
        access = access_for(program=walk.a.program, user=walk.a.admin)
        model = walk_routes.main_model(
            route, program=walk.a.program, access=access, user=walk.a.admin
        )
    if model is None or not issubclass(model, ProgramOwned):
        return set()
    return set(model.all_programs.filter(program=walk.b.program).values_list("pk", flat=True))


def cross_program_references(walk: Walk) -> list[str]:
    """Rows of one program pointing at another program's rows, or at B's people from A."""
    b_only = _members(walk.b.program) - _members(walk.a.program)
    problems = []
    for model in program_owned_models():
        for fk in model._meta.fields:
            if not fk.is_relation or fk.name == "program":
                continue
            rows = model.all_programs.exclude(**{f"{fk.name}__isnull": True})
            if issubclass(fk.related_model, ProgramOwned):
                stray = rows.exclude(**{f"{fk.name}__program": models.F("program")})
            elif fk.related_model is User:
                stray = rows.filter(program=walk.a.program, **{f"{fk.name}__in": b_only})
            else:
                continue
            if stray.exists():
                problems.append(
                    f"{model._meta.label}.{fk.name} points across programs: "
                    f"{list(stray.values('pk', 'program_id', fk.attname))}"
                )
    return problems


def _members(program) -> set[int]:
    from psp.tenancy.models import ProgramMembership

    return set(
        ProgramMembership.all_programs.filter(program=program).values_list("user_id", flat=True)
    )


def _token_for(world, person=None) -> str:
    key, lookup, key_hash = ApiToken.new_key()
    with program_scope(world.program):
        ApiToken.objects.create(
            user=person or world.admin, name="Walk", lookup=lookup, key_hash=key_hash
        )
    return key


# API routes an admin may not act on (docs/permissions.md: refused before any lookup).
WALKED_AS_COACH = {
    "visits-detail",
    "visits-complete",
    "visits-cancel",
    "assessments-answers",
    "assessments-submit-response",
    "assessments-consensus",
    "assessments-submit",
}


@pytest.fixture
def walk(world, other_world) -> Walk:
    cache.clear()  # API throttling counts per user id, and ids repeat between tests
    return Walk(
        a=world,
        b=other_world,
        rows_a=one_of_everything(world),
        rows_b=one_of_everything(other_world),
        token_a=_token_for(world),
        coach_token_a=_token_for(world, world.coach),
    )


# Tests -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_member_of_program_a_gets_404_for_program_b_on(route, walk):
    try:
        walk_route(route, walk)
    except UnmappableRoute as error:
        pytest.fail(f"The isolation walk cannot fill this route's kwargs: {error}")
    assert not walk.failures, "\n".join(walk.failures)
    WALKED[route.kind].add(route.name)
    WALKED["requests"] += walk.requests


def test_the_walk_covers_every_program_route():
    print(f"walked {len(PAGE_ROUTES)} page routes and {len(API_ROUTES)} API routes")
    assert len(PAGE_ROUTES) >= MIN_PAGE_ROUTES
    assert len(API_ROUTES) >= MIN_API_ROUTES
    for route in ROUTES:
        assert route.regex.startswith(("^p/", "^api/v1/programs/")), route


def test_every_route_given_rows_of_its_own_is_walked():
    # A renamed route would otherwise quietly walk the first row of its model again.
    assert set(ROUTE_ROWS) <= {route.name for route in ROUTES}


def test_every_route_outside_the_programs_is_a_known_one():
    outside = [route for route in walk_routes.all_routes() if "program" not in route.kwargs]
    unknown = [
        route.name
        for route in outside
        if route.name not in OUTSIDE_PROGRAMS
        and not route.regex.removeprefix("^").startswith(tuple(OUTSIDE_PREFIXES))
    ]
    assert not unknown, (
        f"Routes outside /p/<program>/ and /api/v1/programs/<program>/: {unknown}. "
        "Put them under a program, or add them to OUTSIDE_PROGRAMS with the reason they are safe."
    )


@pytest.mark.django_db
def test_every_program_owned_model_can_be_built_in_both_programs(world, other_world):
    built = [one_of_everything(world), one_of_everything(other_world)]
    for rows, program in zip(built, (world.program, other_world.program), strict=True):
        assert set(rows) == set(program_owned_models())
        assert all(row.program_id == program.pk for row in rows.values())


# Tokens ------------------------------------------------------------------------------------


def _list_routes():
    return [r for r in API_ROUTES if not r.object_kwargs and "GET" in r.methods()]


@pytest.mark.django_db
def test_a_token_works_in_its_own_program(walk):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {walk.token_a}")
    routes = _list_routes()
    assert routes, "no API list routes yet"
    for route in routes:
        response = client.get(route.url(program=walk.a.program.slug))
        assert response.status_code == 200, (route.name, response.status_code)


@pytest.mark.django_db
def test_a_token_of_program_b_gets_404_in_program_a(walk):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token_for(walk.b)}")
    a = walk.a.program
    answers = {}
    for route in API_ROUTES:
        with program_scope(a):
            access = access_for(program=a, user=walk.a.admin)
            mapping = object_models(route, program=a, access=access, user=walk.a.admin)
        wanted = {kwarg: model for kwarg, (model, _) in mapping.items()}
        for world, rows in ((walk.a, walk.rows_a), (walk.b, walk.rows_b)):
            rows = rows_for(route.name, world, rows)
            url = route.url(program=a.slug, **_values(related_choice(rows, wanted), mapping))
            for method in route.methods():
                answers[(route.name, method, url)] = walk.send(client, route, method, url, {})
    assert answers
    assert {key: r.status_code for key, r in answers.items() if r.status_code != 404} == {}


@pytest.mark.django_db
def test_a_token_stays_in_its_program_even_when_its_owner_belongs_to_both(walk):
    """A's admin is also a manager in B: signed in they reach B (a list a manager may not read
    answers 403, not 404), with A's token they do not."""
    MembershipFactory(program=walk.b.program, user=walk.a.admin, role=ProgramRole.MANAGER)
    session = APIClient()
    session.force_login(walk.a.admin)
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {walk.token_a}")
    routes = _list_routes()
    assert routes, "no API list routes yet"
    signed_in = {}
    for route in routes:
        url = route.url(program=walk.b.program.slug)
        signed_in[route.name] = session.get(url).status_code
        assert token.get(url).status_code == 404, route.name
    assert set(signed_in.values()) <= {200, 403}, signed_in
    assert signed_in["practices-list"] == 200


# The walk itself can fail ------------------------------------------------------------------


def _leaky_route(settings, name):
    settings.ROOT_URLCONF = "tests.tenancy.leaky_urls"
    return next(route for route in program_routes() if route.name == name)


@pytest.mark.django_db
def test_the_walk_catches_a_view_that_reads_and_writes_another_programs_object(walk, settings):
    walk_route(_leaky_route(settings, "leaky_detail"), walk)
    report = "\n".join(walk.failures)
    assert "GET /p/north-psp/leaky/" in report and "answered 200, not 404" in report
    assert "program B's practices.Practice rows changed" in report


@pytest.mark.django_db
def test_the_walk_catches_a_list_showing_another_program_and_a_cross_program_link(walk, settings):
    walk_route(_leaky_route(settings, "leaky_list"), walk)
    report = "\n".join(walk.failures)
    assert "shows program B's data" in report
    assert "practices.StageChange.practice points across programs" in report


@pytest.mark.django_db
def test_the_walk_names_a_route_whose_kwargs_follow_no_convention(walk, settings):
    with pytest.raises(UnmappableRoute, match="odd .*`thing` is neither `pk` nor"):
        walk_route(_leaky_route(settings, "odd"), walk)
