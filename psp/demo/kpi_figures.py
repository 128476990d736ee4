"""The demo's KPI figures: computed values, summaries and peer percentiles made once every
other builder has written, so the dashboards (and the program report the demo asks for next)
show two years of data on first run, as the nightly job would leave them."""

from kpis.refresh.services import kpis_refresh
from psp.demo.common import DemoProgram


def build(demo: DemoProgram) -> None:
    kpis_refresh(program=demo.program)
