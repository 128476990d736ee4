"""Bulk inserts for the scale generator: ids handed out up front, then rows written in batches.

Ids are taken from the table's own sequence (PostgreSQL) or after its largest id (SQLite) before
the rows are written, so a builder can point child rows at parents it has not written yet and no
insert has to return ids. Rows go through the model's scoped manager (`bulk_create`, inside the
program's scope); on PostgreSQL the biggest tables go through COPY instead, which is several times
faster than multi-row INSERTs at a million rows. COPY writes around the models' change marking
(practices/derived.py): `build` marks the whole program afterwards, then recomputes its derived
data.
"""

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

from psp.tenancy.scope import current_program_id

BATCH = 5000


class Table:
    """Where the rows of one model go: the columns a builder fills (`columns`, attnames such as
    `practice_id`), every other column from the field's default."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], *, copy: bool = False):
        self.model = model
        self.columns = list(columns)
        self.use_copy = copy and connection.vendor == "postgresql"
        now = timezone.now()
        given = {"id", "program_id", *self.columns}
        self.constants = {
            field.attname: _default(field, now)
            for field in model._meta.concrete_fields
            if field.attname not in given
        }
        self._json = {
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
        }
        self._next_sqlite_id = None

    def ids(self, count: int) -> range:
        """Reserve `count` ids for rows about to be written."""
        if count == 0:
            return range(0)
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                    " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [table, table, count],
                )
                last = cursor.fetchone()[0]
                return range(last - count + 1, last + 1)
            if self._next_sqlite_id is None:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
                self._next_sqlite_id = cursor.fetchone()[0] + 1
        first = self._next_sqlite_id
        self._next_sqlite_id += count
        return range(first, first + count)

    def write(self, ids: Sequence[int], rows: Sequence[tuple]) -> int:
        """Insert `rows` (tuples in `columns` order) with the reserved `ids`; returns how many."""
        program_id = current_program_id()
        if self.use_copy:
            self._copy(program_id, ids, rows)
        else:
            self._bulk_create(program_id, ids, rows)
        return len(rows)

    def _bulk_create(self, program_id, ids, rows) -> None:
        extra = dict(self.constants)
        objects = [
            self.model(
                id=pk, program_id=program_id, **extra, **dict(zip(self.columns, row, strict=True))
            )
            for pk, row in zip(ids, rows, strict=True)
        ]
        # The scoped manager: it refuses rows outside the program in scope, and marks what the
        # caseload standings read.
        self.model.objects.bulk_create(objects, batch_size=BATCH)

    def _copy(self, program_id, ids, rows) -> None:
        names = ["id", "program_id", *self.columns, *self.constants]
        constants = tuple(self._adapt(k, v) for k, v in self.constants.items())
        json_at = [i for i, name in enumerate(self.columns) if name in self._json]
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        table = connection.ops.quote_name(self.model._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for pk, row in zip(ids, rows, strict=True):
                if json_at:
                    row = tuple(Jsonb(v) if i in json_at else v for i, v in enumerate(row))
                copy.write_row((pk, program_id, *row, *constants))

    def _adapt(self, name, value):
        return Jsonb(value) if name in self._json else value


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()
