"""Benchmark: what the PDF reports cost (psp/reports/rendering.py, coaching/reports/).

Makes the practice report card of a demo-like practice (a year and a half of coaching: two
scored rounds, a plan, visits over six quarters, feedback; tests/coaching/reports/builders.py)
and the program report of generated programs of 100 and 1,000 practices (each with visits,
minutes by activity, two scored rounds, a plan with actions and feedback). Each report is made in
a fresh subprocess, so its memory is its own: the peak resident memory while it renders (sampled
every 20 ms) and what rendering added to the process. The script prints seconds, pages, seconds
per page, peak memory and the PDF's size, and the ratios of 1,000 to 100 practices. The card is
made twice in its process: the first time includes loading the fonts, as a worker's first report
does.

It runs against the DATABASE_URL given (PostgreSQL), in a throwaway database made next to it
(`<name>_bench_reports`, migrated, then dropped), never in the database itself. Run from the
project root; a few minutes (the 1,000-practice report is some 200 pages):

    DATABASE_URL=postgres://root@127.0.0.1:5432/psp .venv/bin/python scripts/bench_reports.py
    ... scripts/bench_reports.py --sizes 100 300 1000

Budgets (issue 11): the card under 2 s and at most 0.5 s a page; the program report's peak
memory flat in the number of practices.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psp.settings")
os.environ["DEBUG"] = "1"  # development settings: no key, no HTTPS redirect, plain static files
os.environ.pop("REDIS_URL", None)  # embedded mode: nothing is sent to a broker
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (a throwaway one is made beside it).")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def megabytes() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident() -> float:
    """The process's resident memory now, in megabytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Sampler(threading.Thread):
    """The highest resident memory seen while the report renders (sampled every 20 ms)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.running = resident(), True

    def run(self):
        while self.running:
            self.peak = max(self.peak, resident())
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.join()
        return max(self.peak, resident())


# Building: scripts/bench_reports_data.py
from bench_reports_data import build_card_program, build_program  # noqa: E402


def make_report(code: str, slug: str, practice_id: int | None) -> dict:
    from psp.reports.registry import document
    from psp.tenancy.models import Program
    from psp.tenancy.scope import program_scope

    program = Program.objects.get(slug=slug)
    with program_scope(program):
        # As the reports app does: the document's form reads the query, params_from stores it.
        chosen = document(code)
        form = chosen.form({"practice": str(practice_id)} if practice_id else {})
        assert form.is_valid(), form.errors
        params = chosen.params_from(form)
        runs = [
            _render_once(code, program, params) for _ in range(2 if code == "practice_card" else 1)
        ]
    return {**runs[0], "warm_seconds": runs[-1]["seconds"]}


def _render_once(code, program, params) -> dict:
    from psp.reports.registry import document
    from psp.reports.rendering import render_pdf

    traced = os.environ.get("BENCH_TRACED") == "1"
    if traced:
        tracemalloc.start()
    before = resident()
    sampler = Sampler()
    sampler.start()
    started = time.perf_counter()
    out = io.BytesIO()
    pages = render_pdf(
        document=document(code),
        program=program,
        params=params,
        out=out,
        progress=lambda done, total: None,
    )
    seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    tracemalloc.stop()
    return {
        "python_peak_mb": python_peak,
        "seconds": seconds,
        "pages": pages,
        "bytes": len(out.getvalue()),
        "before_mb": before,
        "peak_mb": sampler.stop(),
        "max_rss_mb": megabytes(),
    }


def in_subprocess(code: str, slug: str, practice_id=None, *, traced: bool = False) -> dict:
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    command = [sys.executable, __file__, "--child", code, slug, str(practice_id or 0)]
    done = subprocess.run(
        command,
        env={**os.environ, "DATABASE_URL": url, "BENCH_TRACED": "1" if traced else ""},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"{code} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def line(label: str, result: dict) -> str:
    per_page = result["seconds"] / result["pages"]
    return (
        f"{label:32} {result['seconds']:8.2f} {result['pages']:6d} {per_page:7.3f} "
        f"{result['peak_mb']:8.0f} {result['peak_mb'] - result['before_mb']:8.0f} "
        f"{result['bytes'] / 1024:8.0f}"
    )


def ratios(results: dict) -> str:
    small, large = results[min(results)], results[max(results)]

    def growth(result):
        return max(result["peak_mb"] - result["before_mb"], 1)

    return (
        f"\n{max(results)} / {min(results)} practices: pages x"
        f"{large['pages'] / small['pages']:.1f}, seconds x"
        f"{large['seconds'] / small['seconds']:.1f},"
        f" peak memory x{large['peak_mb'] / small['peak_mb']:.2f} (memory added while rendering"
        f" x{growth(large) / growth(small):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument(
        "--traced",
        action="store_true",
        help="also make each program report under tracemalloc (slower) and print the peak of "
        "Python's own allocations, which the allocator's and Pango's caches do not blur",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        # As in the worker: DEBUG off, so Django keeps no log of the queries it ran.
        from django.conf import settings

        settings.DEBUG = False
        code, slug, practice_id = args.child
        print(json.dumps(make_report(code, slug, int(practice_id))))
        return

    from django.test.utils import setup_test_environment

    setup_test_environment()
    # Its own throwaway database: not the tests' test_<name>, which a test run may be using.
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_bench_reports"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        card = build_card_program()
        programs = {size: build_program(size) for size in args.sizes}
        print(f"Built in {time.perf_counter() - started:.0f} s (database {name}).\n")
        print(
            f"{'report':32} {'seconds':>8} {'pages':>6} {'s/page':>7} {'peak MB':>8} "
            f"{'+ MB':>8} {'PDF KB':>8}"
        )
        card_result = in_subprocess("practice_card", *card)
        print(line("practice report card", card_result))
        warm = card_result["warm_seconds"]
        print(
            f"{'  ... made again, fonts warm':32} {warm:8.2f} {'':6} "
            f"{warm / card_result['pages']:7.3f}"
        )
        results = {}
        for size, slug in programs.items():
            results[size] = in_subprocess("program_report", slug)
            print(line(f"program report, {size} practices", results[size]))
        if len(results) > 1:
            print(ratios(results))
        if args.traced:
            print("\nPython allocations while rendering (tracemalloc peak):")
            for size, slug in programs.items():
                peak = in_subprocess("program_report", slug, traced=True)["python_peak_mb"]
                print(f"  program report, {size} practices: {peak:.1f} MB")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
