"""Benchmark: every page and API list of a scale program, next to a trivial view (issue 15).

Runs against the database in DATABASE_URL (PostgreSQL) and the program `manage.py
generate_scale_data` made there (README.md), in one process, through Django's test client.

Routes are found the way the isolation walk finds them (tests/tenancy/routes.py): every route
whose path names the program and that answers GET. Object kwargs are filled with one practice's
rows (a practice in the middle of the program, its latest plan, visit, checklist...), nested
kwargs from the main object's own relations. Each route is asked for as the program's manager,
then its admin, the practice's coach and its lead, and timed as the first of them it answers
with an HTML page or JSON (downloads, CSV and PDF are left out: they are background work or
files, not pages). A few routes are also timed as a second role (the coach's home) or deep in
a list (the 21st page of an API list, reached by following `next`).

Each round requests every route once, in a rotating order so no route always follows the same
one; after two warm-up rounds (the second also counts each route's queries), `--rounds` (at
least 15) are timed. The baseline is `/healthz`: the same process and middleware, one `SELECT 1`.
It prints JSON: per route the median and p95 in ms, their ratios to the baseline's median, the
query count, its budget and whether it is met; with `--compare` the growth from another size.

    export DATABASE_URL=postgres://root@127.0.0.1:5432/psp_scale
    .venv/bin/python scripts/bench_scale.py --out scripts/bench_results/scale-100k.json
    .venv/bin/python scripts/bench_scale.py --compare scripts/bench_results/scale-100k.json
    .venv/bin/python scripts/bench_scale.py --explain --only caseload   # plans, Seq Scans flagged

Budgets (issue 15): at 1M visits a list's median (a program-wide page or an API list) at most
10x the baseline, a dashboard read from summaries at most 5x, p95 at most twice the median; one
object's page (a practice's, a visit's, a form) is held to the growth budget only: time at 1M at
most 1.3x the time at 100k; the same query count at every size. EXPLAIN ANALYZE runs a query
again: a route's plans show what that query costs with a warm cache.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psp.settings")
os.environ["DEBUG"] = "1"  # development settings: no key, no HTTPS redirect, plain static files
os.environ.pop("REDIS_URL", None)  # embedded mode: nothing is sent to a broker
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to the PostgreSQL database generate_scale_data filled.")

import django  # noqa: E402

django.setup()

from bench_scale_routes import clients_for, pick_roles, program_and_people, route_urls  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from rest_framework.settings import api_settings  # noqa: E402

from psp.tenancy.scope import program_scope  # noqa: E402

# The API's per-person rate limits would answer most of the timed requests 429 (a cheap refusal
# that reads as a fast list): no limit here, and every timed answer is checked below.
for _scope in api_settings.DEFAULT_THROTTLE_RATES:
    api_settings.DEFAULT_THROTTLE_RATES[_scope] = None

BASELINE = "baseline /healthz"
# The trivial views each route is held against: the manager's own API tokens, as a page (the
# same middleware, sign-in, layout and menus as every page) and as an API list (the same
# authentication, permission, pagination and renderer as every list), both with no rows.
TRIVIAL = {"page": "trivial page tokens:list", "api": "trivial API api-token-list"}
SLOWEST = 3  # queries explained per route
WATCHED = ("coaching_visit", "coaching_planaction", "assessments_answer", "kpis_kpivalue")

# Pages that read summaries the background jobs keep (DESIGN.md section 8): budget 5x.
DASHBOARDS = {
    "program_home",
    "kpis:dashboard",
    "kpi-aggregates-list",
    "caseload:overview",
    "caseload-list",
    "caseload:dose",
    "dose-list",
    "cpd:completion",
    "cpd-completion-list",
    "compliance_followup:overview",
    "checklist-status-list",
    "feedback-summary-list",
}
LIST_BUDGET, DASHBOARD_BUDGET, P95_OVER_MEDIAN, GROWTH = 10, 5, 2, 1.3


def warm_up(clients, targets: dict) -> tuple[dict, dict]:
    """Two untimed rounds; the second counts each route's queries and keeps them for EXPLAIN
    (the first can write what a first visit writes, such as the person's last program)."""
    for label, (role, url) in targets.items():
        _checked(label, clients[role].get(url))
    counts, captured = {}, {}
    for label, (role, url) in targets.items():
        with CaptureQueriesContext(connection) as queries:
            clients[role].get(url)
        counts[label], captured[label] = len(queries.captured_queries), queries.captured_queries
    return counts, captured


def _checked(label: str, response):
    """A timed answer must be the page itself: a refusal or an error would time something else."""
    if response.status_code != 200:
        sys.exit(f"{label}: {response.status_code} during the timed rounds")
    return response


def timed_rounds(clients, targets: dict, rounds: int) -> dict:
    samples = {label: [] for label in targets}
    labels = list(targets)
    for r in range(rounds):
        shift = (r * 7) % len(labels)
        for label in labels[shift:] + labels[:shift]:
            role, url = targets[label]
            started = time.perf_counter()
            response = clients[role].get(url)
            samples[label].append((time.perf_counter() - started) * 1000)
            _checked(label, response)
    return samples


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def kind(label: str, url: str) -> str:
    """dashboard (read from summaries), list (a program-wide page or an API list) or object
    (one practice's or one row's page, or a form: held to the growth budget only)."""
    name = label.split(" as ")[0].split(", ")[0]
    if name in DASHBOARDS:
        return "dashboard"
    if label in TRIVIAL.values() or name.endswith("-list") or not _names_objects(url):
        return "list"
    return "object"


def _names_objects(url: str) -> bool:
    return any(part.isdigit() for part in url.split("?")[0].split("/"))


BUDGETS = {"dashboard": DASHBOARD_BUDGET, "list": LIST_BUDGET, "object": None}


def summary(targets, samples, counts) -> dict:
    """Each route against the trivial view of its kind (a page or the API), and, as issue 12
    measured, against /healthz."""
    healthz = statistics.median(samples[BASELINE])
    trivial = {api: statistics.median(samples[label]) for api, label in TRIVIAL.items()}
    result = {}
    for label, (role, url) in targets.items():
        median, high = statistics.median(samples[label]), p95(samples[label])
        base = trivial["api" if url.startswith("/api/") else "page"]
        route_kind = kind(label, url)
        limit = BUDGETS[route_kind]
        result[label] = {
            "url": url,
            "role": role,
            "median_ms": round(median, 2),
            "p95_ms": round(high, 2),
            "median_ratio": round(median / base, 1),
            "p95_ratio": round(high / base, 1),
            "healthz_ratio": round(median / healthz, 1),
            "queries": counts[label],
            "kind": route_kind,
            "budget": limit,
            "meets": (limit is None or median / base <= limit) and high <= P95_OVER_MEDIAN * median,
        }
    return result


def explain(captured: dict) -> dict:
    """Each route's slowest queries with their EXPLAIN ANALYZE plans; Seq Scans on the big
    tables flagged."""
    plans = {}
    for label, queries in captured.items():
        if label == BASELINE:
            continue
        slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:SLOWEST]
        rows = []
        for query in slowest:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            scans = sorted({t for t in WATCHED if f"Seq Scan on {t} " in plan + " "})
            rows.append(
                {
                    "ms": round(float(query["time"]) * 1000, 1),
                    "sql": query["sql"][:400],
                    "seq_scans": scans,
                    "plan": plan,
                }
            )
        plans[label] = rows
    return plans


def growth(current: dict, old: dict) -> dict:
    """Per route, time at this size over time at the other: in ms, and as the ratio to its
    trivial view (the same page or API stack measured in the same run, so that a machine busier
    during one run than the other does not read as growth). `meets` holds the ratio's growth to
    the budget and the query count to the same."""
    result = {}
    for label, now in current["routes"].items():
        before = old.get("routes", {}).get(label)
        if before:
            ratio_grown = now["median_ratio"] / max(before["median_ratio"], 0.1)
            result[label] = {
                "median_growth": round(now["median_ms"] / before["median_ms"], 2),
                "ratio_growth": round(ratio_grown, 2),
                "p95_growth": round(now["p95_ms"] / before["p95_ms"], 2),
                "queries_same": now["queries"] == before["queries"],
                "meets": ratio_grown <= GROWTH and now["queries"] == before["queries"],
            }
    return result


def size(program) -> dict:
    from django.apps import apps

    def count(label):
        return apps.get_model(label).all_programs.filter(program=program).count()

    tables = {
        "practices": "practices.Practice",
        "visits": "coaching.Visit",
        "actions": "coaching.PlanAction",
        "kpi_values": "kpis.KpiValue",
        "cpd_activities": "cpd.CpdActivity",
        "checklists": "compliance.ChecklistInstance",
    }
    found = {}
    for key, label in tables.items():
        try:
            found[key] = count(label)
        except LookupError:
            continue
    return found


def print_plans(plans: dict) -> dict:
    """Print each route's slowest queries with their plans (stderr); {route: Seq Scans}."""
    for label, rows in plans.items():
        for row in rows:
            scans = row["seq_scans"] or "none"
            print(f"--- {label}: {row['ms']} ms, Seq Scans: {scans}", file=sys.stderr)
            print(row["sql"], file=sys.stderr)
            print(row["plan"], file=sys.stderr)
    return {
        label: sorted({scan for row in rows for scan in row["seq_scans"]})
        for label, rows in plans.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", default="scale")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--only", help="Only routes whose label contains this text.")
    parser.add_argument("--out", type=Path, help="Also write the JSON to this file.")
    parser.add_argument("--compare", type=Path, help="A JSON of another size: print the growth.")
    parser.add_argument("--explain", action="store_true", help="Print the slowest queries' plans.")
    args = parser.parse_args()
    if args.rounds < 15:
        parser.error("--rounds must be at least 15")
    setup_test_environment()  # the test client's host and template signals
    program, practice, people = program_and_people(args.program)
    clients = clients_for(people)
    with program_scope(program):  # the views' scoped querysets name their models
        urls, skipped = route_urls(program, practice, people)
    if args.only:
        urls = {name: url for name, url in urls.items() if args.only in name}
    targets, not_pages = pick_roles(clients, urls)
    if args.only:
        targets = {label: t for label, t in targets.items() if args.only in label}
    trivial = {TRIVIAL["page"]: "tokens:list", TRIVIAL["api"]: "api-token-list"}
    targets = (
        {BASELINE: ("manager", "/healthz")}
        | {
            label: ("manager", reverse(name, kwargs={"program": program.slug}))
            for label, name in trivial.items()
        }
        | targets
    )
    counts, captured = warm_up(clients, targets)
    samples = timed_rounds(clients, targets, args.rounds)
    base = statistics.median(samples[BASELINE])
    routes = summary(targets, samples, counts)
    result = {
        "program": program.slug,
        **size(program),
        "rounds": args.rounds,
        "baseline_median_ms": round(base, 3),
        "trivial_median_ms": {
            kind: round(statistics.median(samples[label]), 3) for kind, label in TRIVIAL.items()
        },
        "missed": sorted(label for label, row in routes.items() if not row["meets"]),
        "routes": routes,
        "skipped": skipped | not_pages,
    }
    if args.compare:
        result["growth"] = growth(result, json.loads(args.compare.read_text()))
        result["grew_too_much"] = sorted(k for k, v in result["growth"].items() if not v["meets"])
    if args.explain:
        result["seq_scans"] = print_plans(explain(captured))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
