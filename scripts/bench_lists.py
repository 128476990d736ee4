"""Benchmark: the program-wide list pages (issue 15) at scale, next to a trivial view.

The same method and JSON as scripts/bench_kpis.py (its docstring says how), over the HTML lists a
program's manager opens: first pages, a deep page and the pages' filters.

    DATABASE_URL=postgres://root@127.0.0.1:5432/psp_scale .venv/bin/python scripts/bench_lists.py \
        --out scripts/bench_results/lists-100k.json [--compare ...] [--explain]
"""

import bench_kpis

ROUTES = [
    ("plans list", "plans:list", ""),
    ("plans list, page 40", "plans:list", "page=40"),
    ("actions list", "actions:mine", ""),
    ("actions list, page 40", "actions:mine", "page=40"),
    ("visits list", "visits:list", ""),
    ("visits list, page 40", "visits:list", "page=40"),
    ("feedback results", "feedback:results", ""),
    ("assessments list", "assessments:list", ""),
    ("assessments list, page 40", "assessments:list", "page=40"),
    ("practice list", "practices:list", ""),
    ("practice list, page 40", "practices:list", "page=40"),
    ("compliance overview", "compliance_followup:overview", ""),
    ("compliance due list", "compliance_followup:due", ""),
]

if __name__ == "__main__":
    bench_kpis.ROUTES = ROUTES
    bench_kpis.__doc__ = __doc__
    bench_kpis.main()
