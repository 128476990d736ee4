"""What the CPD document tests share: building a document's sections as the worker does."""

from psp.reports.registry import document
from psp.tenancy.scope import program_scope


def sections(world, code: str, cycle, report_id=None) -> str:
    """The document's sections for `cycle`, joined (the HTML the PDF is laid out from)."""
    with program_scope(world.program):
        built = document(code).build(
            world.program,
            {"cycle": cycle.pk},
            progress=lambda done, total: None,
            report_id=report_id,
        )
        return "".join(section.html for section in built)
