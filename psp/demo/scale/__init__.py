"""A deterministic program at benchmark size: `manage.py generate_scale_data` (README.md).

One program of `visits / 100` practices and `practices / 50` coaches with two years of coaching
work, assessments, plans, people, feedback and monthly KPI values, built from a seed so two runs
compare like with like. Each module builds one area for one chunk of practices; `build` runs them
and then brings the derived data (standings, summaries) current, as the nightly jobs would.
"""
