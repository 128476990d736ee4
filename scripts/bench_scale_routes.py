"""The routes scripts/bench_scale.py times, and who asks for them: every program route that
answers GET (found as the isolation walk finds them), object kwargs filled with one practice's
rows, each asked as the first of the manager, admin, the practice's coach and lead who reads it
as a page. Imported by bench_scale.py once Django is set up."""

import sys

from django.test import Client

ROLES = ("manager", "admin", "coach", "lead")

# Routes timed again as another role: (URL name, role).
ALSO_AS = [("program_home", "coach"), ("caseload:mine", "coach"), ("plans:my_actions", "lead")]
# API lists also timed deep in: the page reached by following `next` this many times.
DEEP_PAGES = 20
DEEP = ["visits-list", "plan-actions-list", "kpi-values-list", "checklists-list"]

# Not pages: files and exports (CSV, PDF, templates to download), and routes that only redirect.
SKIP_SUFFIXES = ("csv", "_template", ":template", "download", "file", "pdf")


def program_and_people(slug: str):
    from practices.models import CoachAssignment, Practice, PracticeMembership, PracticeRole
    from psp.tenancy.models import Program, ProgramMembership, ProgramRole

    program = Program.objects.get(slug=slug)
    practices = Practice.all_programs.filter(program=program).order_by("pk")
    total = practices.count()
    if not total:
        sys.exit(f"Program {slug!r} has no practices: run generate_scale_data first.")
    practice = practices[total // 2]  # deterministic, and not the first one built

    def member(role):
        found = (
            ProgramMembership.all_programs.filter(program=program, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return found.user if found else None

    assignment = (
        CoachAssignment.all_programs.filter(program=program, practice=practice)
        .select_related("coach")
        .order_by("-pk")
        .first()
    )
    lead = (
        PracticeMembership.all_programs.filter(
            program=program, practice=practice, role=PracticeRole.LEAD
        )
        .select_related("user")
        .first()
    )
    people = {
        "manager": member(ProgramRole.MANAGER),
        "admin": member(ProgramRole.ADMIN),
        "coach": assignment.coach if assignment else None,
        "lead": lead.user if lead else None,
    }
    return program, practice, people


def clients_for(people: dict) -> dict:
    clients = {}
    for role, user in people.items():
        if user is not None:
            clients[role] = Client()
            clients[role].force_login(user)
    return clients


def _representative(model, program, practice, people):
    """One row of `model` in the program: the practice itself, else its latest row of the
    practice, else the program's latest row."""
    from django.contrib.auth import get_user_model

    from practices.models import Practice

    if model is Practice:
        return practice
    if model is get_user_model():
        return people["lead"]
    rows = model.all_programs.filter(program=program)
    names = {f.name for f in model._meta.fields}
    if "practice" in names:
        found = rows.filter(practice=practice).order_by("-pk").first()
        if found is not None:
            return found
    return rows.order_by("-pk").first()


def _from_relations(model, chosen: list):
    """A row of `model` that one of the already chosen rows points at (a goal's plan)."""
    for row in chosen:
        for f in row._meta.fields:
            if f.is_relation and f.related_model is model:
                related = getattr(row, f.name, None)
                if related is not None:
                    return related
    return None


def route_urls(program, practice, people) -> tuple[dict, dict]:
    """{name: url} for every GET route the benchmark can fill, {name: why} for the others."""
    from psp.tenancy.access import access_for
    from tests.tenancy.routes import UnmappableRoute, object_models, program_routes

    manager = people["manager"]
    access = access_for(program=program, user=manager)
    urls, skipped = {}, {}
    for route in program_routes():
        if route.name.endswith(SKIP_SUFFIXES):
            skipped[route.name] = "a download, not a page"
            continue
        if route.is_drf and "GET" not in route.methods():
            continue
        try:
            models = object_models(route, program=program, access=access, user=manager)
        except UnmappableRoute as problem:
            skipped[route.name] = str(problem)
            continue
        kwargs = {"program": program.slug, **route.value_kwargs}
        chosen = []
        main_kwarg = next((k for k in models if k in ("pk", "id")), None)
        order = ([main_kwarg] if main_kwarg else []) + [k for k in models if k != main_kwarg]
        for kwarg in order:
            model, attr = models[kwarg]
            row = _from_relations(model, chosen) or _representative(
                model, program, practice, people
            )
            if row is None:
                break
            chosen.append(row)
            kwargs[kwarg] = getattr(row, attr)
        else:
            try:
                urls[route.name] = route.url(**kwargs)
            except ValueError as problem:
                skipped[route.name] = str(problem)
            continue
        skipped[route.name] = "the program has no row to fill it"
    return urls, skipped


def _is_page(response) -> bool:
    kind = response.get("Content-Type", "")
    return response.status_code == 200 and ("text/html" in kind or "json" in kind)


def pick_roles(clients: dict, urls: dict) -> tuple[dict, dict]:
    """{label: (role, url)} for the routes some role reads as a page; skipped ones with why."""
    targets, skipped = {}, {}
    for name, url in urls.items():
        answers = []
        for role in ROLES:
            if role not in clients:
                continue
            response = clients[role].get(url)
            if _is_page(response):
                targets[name] = (role, url)
                break
            answers.append(f"{role} {response.status_code}")
        else:
            skipped[name] = "no role reads it as a page: " + ", ".join(answers)
    for name, role in ALSO_AS:
        if name in urls and role in clients:
            if _is_page(clients[role].get(urls[name])):
                targets[f"{name} as {role}"] = (role, urls[name])
            else:
                skipped[f"{name} as {role}"] = "not a page for this role"
    for name in DEEP:
        if name in targets:
            role, url = targets[name]
            deep = _follow_next(clients[role], url, DEEP_PAGES)
            if deep:
                targets[f"{name}, {DEEP_PAGES + 1}st page"] = (role, deep)
    return targets, skipped


def _follow_next(client, url: str, times: int) -> str | None:
    for _ in range(times):
        response = client.get(url)
        following = response.json().get("next") if _is_page(response) else None
        if not following:
            return None
        url = following.removeprefix("http://testserver")
    return url
