"""docs/permissions.md shows exactly the matrix the code enforces."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from psp.tenancy.management.commands.permissions_table import END, START, with_table
from psp.tenancy.permissions import MATRIX

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


def _generated() -> str:
    out = StringIO()
    call_command("permissions_table", stdout=out)
    return out.getvalue()


def test_the_docs_contain_exactly_the_generated_table():
    document = DOC.read_text()
    between = document.split(START, 1)[1].split(END, 1)[0]
    assert between == "\n" + _generated(), (
        "docs/permissions.md is out of date: run "
        "`python manage.py permissions_table --write docs/permissions.md`"
    )


def test_the_generated_table_has_a_row_per_capability_and_a_column_per_role():
    lines = _generated().splitlines()
    assert len(lines) == 2 + len(MATRIX)
    assert all(line.count("|") == 8 for line in lines)


def test_writing_the_table_replaces_only_what_is_between_the_markers(tmp_path):
    path = tmp_path / "permissions.md"
    path.write_text(f"# Before\n\n{START}\nstale\n{END}\n\nAfter.\n")
    call_command("permissions_table", "--write", str(path), stdout=StringIO())
    text = path.read_text()
    assert text.startswith("# Before\n\n") and text.endswith(f"{END}\n\nAfter.\n")
    assert "stale" not in text
    assert with_table(text) == text
