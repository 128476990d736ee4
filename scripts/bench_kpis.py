"""Benchmark: the program dashboards and lists at scale, next to a trivial view.

Runs against the database in DATABASE_URL (PostgreSQL) and the program `manage.py
generate_scale_data` made there (README.md), in one process, through Django's test client,
logged in as the program's manager. Each round requests every route once, in a rotating order
so no route always follows the same one; after two warm-up rounds (the second also counts each
route's queries), `--rounds` (at least 15) are timed. The baseline is `/healthz`: the same
process and middleware, one `SELECT 1`. It prints JSON: per route the median and p95 in ms,
their ratios to the baseline's median, and the query count. A route whose URL name does not
resolve on this branch (the KPI dashboard and its aggregate API come from another part of issue
12) is listed under "skipped".

    DATABASE_URL=postgres://root@127.0.0.1:5432/psp_scale .venv/bin/python scripts/bench_kpis.py \
        --out scripts/bench_results/kpis-100k.json
    ... scripts/bench_kpis.py --compare scripts/bench_results/kpis-100k.json   # growth per route
    ... scripts/bench_kpis.py --explain   # each route's slowest queries' plans, Seq Scans flagged

Budgets (issue 12): at 1M visits each dashboard's median at most 5x the baseline and its p95 at
most 8x; its time at 1M at most 1.3x its time at 100k; the same query count at every size. Issue
15 asks lists for at most 10x. EXPLAIN ANALYZE runs the query again: a route's plans show what
that query costs, with a warm cache.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

BASELINE = "baseline /healthz"
# (label, URL name, query string): the program is filled in.
ROUTES = [
    ("program KPI dashboard", "kpis:dashboard", ""),
    ("API kpi-aggregates", "kpi-aggregates-list", ""),
    ("program dose, 12 months", "caseload:dose", ""),
    ("caseload overview", "caseload:overview", ""),
    ("practice list", "practices:list", ""),
    ("API practices", "practices-list", ""),
]
SLOWEST = 3  # queries explained per route
WATCHED = ("coaching_visit", "coaching_planaction", "assessments_answer", "kpis_kpivalue")


def routes_for(slug: str) -> tuple[dict, dict]:
    """{label: url} for the routes this branch has, and {label: why} for the others."""
    urls, skipped = {BASELINE: "/healthz"}, {}
    for label, name, query in ROUTES:
        try:
            urls[label] = reverse(name, kwargs={"program": slug}) + (f"?{query}" if query else "")
        except NoReverseMatch:
            skipped[label] = f"URL name {name!r} does not resolve on this branch"
    return urls, skipped


def manager_client(slug: str):
    from psp.tenancy.models import Program, ProgramMembership, ProgramRole

    program = Program.objects.get(slug=slug)
    membership = (
        ProgramMembership.all_programs.filter(program=program, role=ProgramRole.MANAGER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        sys.exit(f"Program {slug!r} has no manager: run generate_scale_data first.")
    client = Client()
    client.force_login(membership.user)
    return program, client


def warm_up(client, urls: dict) -> tuple[dict, dict]:
    """Two untimed rounds; the second counts each route's queries and keeps them for EXPLAIN
    (the first can write what a first visit writes, such as the person's last program)."""
    for label, url in urls.items():
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{label}: {url} answered {response.status_code}")
    counts, captured = {}, {}
    for label, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[label], captured[label] = len(queries.captured_queries), queries.captured_queries
    return counts, captured


def timed_rounds(client, urls: dict, rounds: int) -> dict:
    samples = {label: [] for label in urls}
    labels = list(urls)
    for r in range(rounds):
        order = labels[r % len(labels) :] + labels[: r % len(labels)]
        for label in order:
            started = time.perf_counter()
            client.get(urls[label])
            samples[label].append((time.perf_counter() - started) * 1000)
    return samples


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary(urls, samples, counts) -> dict:
    base = statistics.median(samples[BASELINE])
    result = {}
    for label, url in urls.items():
        median, high = statistics.median(samples[label]), p95(samples[label])
        result[label] = {
            "url": url,
            "median_ms": round(median, 2),
            "p95_ms": round(high, 2),
            "median_ratio": round(median / base, 1),
            "p95_ratio": round(high / base, 1),
            "queries": counts[label],
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
            scans = sorted({t for t in WATCHED if f"Seq Scan on {t}" in plan})
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
    result = {}
    for label, now in current["routes"].items():
        before = old.get("routes", {}).get(label)
        if before:
            result[label] = {
                "median_growth": round(now["median_ms"] / before["median_ms"], 2),
                "p95_growth": round(now["p95_ms"] / before["p95_ms"], 2),
                "queries_same": now["queries"] == before["queries"],
            }
    return result


def size(program) -> dict:
    from coaching.models import Visit
    from kpis.models import KpiValue
    from practices.models import Practice

    def count(model):
        return model.all_programs.filter(program=program).count()

    return {"practices": count(Practice), "visits": count(Visit), "kpi_values": count(KpiValue)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", default="scale")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, help="Also write the JSON to this file.")
    parser.add_argument("--compare", type=Path, help="A JSON of another size: print the growth.")
    parser.add_argument("--explain", action="store_true", help="Print the slowest queries' plans.")
    args = parser.parse_args()
    if args.rounds < 15:
        parser.error("--rounds must be at least 15")
    setup_test_environment()  # the test client's host and template signals
    program, client = manager_client(args.program)
    urls, skipped = routes_for(program.slug)
    counts, captured = warm_up(client, urls)
    samples = timed_rounds(client, urls, args.rounds)
    base = statistics.median(samples[BASELINE])
    result = {
        "program": program.slug,
        **size(program),
        "rounds": args.rounds,
        "baseline_median_ms": round(base, 3),
        "routes": summary(urls, samples, counts),
        "skipped": skipped,
    }
    if args.compare:
        result["growth"] = growth(result, json.loads(args.compare.read_text()))
    if args.explain:
        plans = explain(captured)
        result["seq_scans"] = {
            k: sorted({t for r in v for t in r["seq_scans"]}) for k, v in plans.items()
        }
        for label, rows in plans.items():
            for row in rows:
                print(
                    f"--- {label}: {row['ms']} ms, Seq Scans: {row['seq_scans'] or 'none'}",
                    file=sys.stderr,
                )
                print(row["sql"], file=sys.stderr)
                print(row["plan"], file=sys.stderr)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
