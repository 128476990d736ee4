"""Data derived from a practice's records learns of every write to them, once per transaction.

Derived data (the caseload standings of coaching/caseload/standings.py; summary tables later)
is computed from records such as visits and actions and must be marked stale when they change.
The marking lives in the records' models, not beside them: a model whose rows derived data
reads inherits `DerivedSource`, whose managers' querysets (`objects`, `all_programs` and so every
related manager built from them) and whose `save()`/`delete()` route every write through
`mark_stale`. A service, the Django admin (its forms, inlines and "delete selected"), a
`bulk_create` in the demo or an import, a `QuerySet.update()` (and so `bulk_update()`) or a
`QuerySet.delete()` therefore cannot skip it, as they could skip the signals this replaces.
A source row whose parent is not itself a source (a coach assignment's coach) declares
`on_delete=derived.CASCADE`, so a deletion reaching it by cascade is marked too.

Marking costs no query on a save. `mark_stale` collects the practices (and, for program-wide
sources such as the caseload rules, the programs) into one batch per transaction, registered
with `transaction.on_commit`; at commit the subscribers (`subscribe`) receive the batch once,
as a queryset of the practices that still exist and a set of program ids: the caseload
standings then stamp them in two queries, however many rows the transaction wrote. Outside a
transaction, Django runs the batch at once. Bulk updates and deletes read the practices of
their rows first (one query each); a row that names its practice through a parent (a goal
through its plan) is resolved in the flush, with one subquery per kind of parent.

A read inside the writing transaction (a service that writes then reads, or a test, whose
transaction never commits) calls `flush_pending()` first: the subscribers get what this
transaction has changed so far, so it reads its own writes. The commit flush runs anyway,
because a computation another connection started before the commit could not see the change.

Why not database triggers: the embedded mode runs on SQLite, and triggers would have to be
written twice and kept beside the models by hand. Why not signals: bulk writes skip them, and a
receiver per row paid a write per save.

What still writes around it, none of which the app does: raw SQL; `loaddata` (it saves raw);
data migrations (historical models have plain managers); and the two writes Django makes
through its plain base manager, a reverse relation's `add()` and the deletion collector's
SET_NULL updates (no rule reads a nullable foreign key of a source). After one of those, call
`mark_stale()`; failing that, the nightly recomputation puts the standings right.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import ClassVar

from asgiref.local import Local
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Q

from psp.tenancy.base import ProgramOwned
from psp.tenancy.managers import AllProgramsManager, ProgramScopedManager, ProgramScopedQuerySet

# `practice_path` of a source whose rows change every practice of their program.
PROGRAM = "program"

Subscriber = Callable[..., None]  # (*, practices: QuerySet[Practice], program_ids: set[int])
_subscribers: list[tuple[Subscriber, frozenset | None]] = []
# The open batch per database alias, per thread as Django keeps the connections.
_batches = Local(thread_critical=True)


def subscribe(subscriber: Subscriber, *, sources: Iterable | None = None) -> None:
    """Have `subscriber(practices=..., program_ids=...)` called with each flushed batch (the
    changed practices that exist, across programs; ids of programs changed as a whole); with
    `sources`, only for batches writing one of those models or marked by hand. From ready()."""
    if all(known is not subscriber for known, _ in _subscribers):
        _subscribers.append((subscriber, frozenset(sources) if sources is not None else None))


def mark_stale(*, practice_ids: Iterable = (), program_ids: Iterable = (), using=None) -> None:
    """Mark the derived data of these practices (and of every practice of these programs) stale
    when the transaction on `using` commits, or now outside a transaction."""
    changes = _Changes(None)  # by hand: every subscriber hears
    changes.practices.update(pk for pk in practice_ids if pk is not None)
    changes.programs.update(pk for pk in program_ids if pk is not None)
    _add(changes, using or DEFAULT_DB_ALIAS)


def flush_pending(using=None) -> None:
    """Hand the subscribers what the open transaction has changed since the last flush, so that
    a read inside it sees its own writes. A no-op outside a transaction or with nothing new."""
    using = using or DEFAULT_DB_ALIAS
    batch = _open_batch(using)
    if batch is not None:
        batch.flush_for_reads()


# The rows' side ----------------------------------------------------------------------------


class SourceQuerySet(ProgramScopedQuerySet):
    """Bulk writes of a source model mark what they change."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _add(_changes_of_rows(self.model, created), self.db)
        return created

    bulk_create.alters_data = True

    def update(self, **kwargs):
        model = self.model
        if not _touches(model, kwargs):
            return super().update(**kwargs)
        path = _key_path(model)
        moves = _first_hop(model) in kwargs or _first_hop(model, attname=True) in kwargs
        keys = self._keys_query()
        pks = []
        if moves:
            rows = list(keys.values_list("pk", path))
            pks, before = [pk for pk, _ in rows], {key for _, key in rows}
        else:
            before = set(keys.values_list(path, flat=True).distinct())
        updated = super().update(**kwargs)
        changes = _Changes.of_keys(model, before)
        if pks:
            after = model._base_manager.using(self.db).filter(pk__in=pks)
            changes.merge(_Changes.of_keys(model, after.values_list(path, flat=True)))
        _add(changes, self.db)
        return updated

    update.alters_data = True

    def delete(self):
        keys = set(self._keys_query().values_list(_key_path(self.model), flat=True).distinct())
        deleted = super().delete()
        _add(_Changes.of_keys(self.model, keys), self.db)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True

    def _keys_query(self):
        # As QuerySet.delete() prepares its query: DISTINCT cannot go with FOR UPDATE, and the
        # model's ordering would only add columns.
        query = self._chain()
        query.query.select_for_update = False
        query.query.select_related = False
        query.query.clear_ordering(force=True)
        return query


class SourceManager(ProgramScopedManager.from_queryset(SourceQuerySet)):
    """The scoped default manager of a source model."""


class AllProgramsSourceManager(AllProgramsManager.from_queryset(SourceQuerySet)):
    """`all_programs` of a source model: crosses programs, and still marks what it writes."""


class DerivedSource(ProgramOwned):
    """A program-owned model whose rows derived data reads. Subclasses say how a row leads to
    its practice (`practice_path`, a lookup such as "practice" or "plan__practice"; "pk" for
    the practice itself), or `PROGRAM` when a row bears on every practice of its program; and,
    optionally, `source_fields`: the only fields derived data reads (a write that changes none
    of them marks nothing; new and deleted rows always mark)."""

    practice_path: ClassVar[str]
    source_fields: ClassVar[tuple[str, ...] | None] = None

    objects = SourceManager()
    all_programs = AllProgramsSourceManager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        if cls.source_fields:
            row._remember_source_values()
        return row

    def save(self, *args, **kwargs):
        changed = self._changes_source(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if changed:
            _add(_changes_of_rows(type(self), [self]), self._state.db)
            if self.source_fields:
                self._remember_source_values()

    def delete(self, *args, **kwargs):
        changes = _changes_of_rows(type(self), [self])
        deleted = super().delete(*args, **kwargs)
        _add(changes, kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS)
        return deleted

    def _remember_source_values(self) -> None:
        # Only what is loaded: reading a deferred field here would cost a query.
        values = self.__dict__
        self._source_values = {name: values[name] for name in self.source_fields if name in values}

    def _changes_source(self, update_fields) -> bool:
        fields = self.source_fields
        if not fields:
            return True
        if update_fields is not None and not set(update_fields) & set(fields):
            return False
        loaded = getattr(self, "_source_values", None)
        if loaded is None:  # a new row, or one built by hand
            return True
        values = self.__dict__
        return any(
            name in values and (name not in loaded or values[name] != loaded[name])
            for name in fields
        )


def CASCADE(collector, field, sub_objs, using):  # noqa: N802 (named like Django's handlers)
    """`on_delete` for a source row whose parent is not a source (a coach assignment's coach):
    marks the rows' practices, then cascades. Django's own CASCADE would delete them without a
    word (its fast path does not even load them). Inside an atomic block, as the admin deletes,
    the mark lands after the deletion commits."""
    if isinstance(sub_objs, models.QuerySet):
        model = sub_objs.model
        keys = sub_objs.order_by().values_list(_key_path(model), flat=True).distinct()
        _add(_Changes.of_keys(model, keys), using)
    else:
        _add(_changes_of_rows(field.model, sub_objs), using)
    models.CASCADE(collector, field, sub_objs, using)


# What changed ------------------------------------------------------------------------------


class _Changes:
    """Practices (by id, or by a parent's id and the lookup from it), and whole programs."""

    def __init__(self, *models):
        self.practices: set[int] = set()
        self.via: dict[tuple[type[models.Model], str], set[int]] = defaultdict(set)
        self.programs: set[int] = set()
        self.models: set = set(models)  # the source models written (None: marked by hand)

    def __bool__(self):
        return bool(self.practices or self.programs or any(self.via.values()))

    def merge(self, other: "_Changes") -> None:
        self.practices |= other.practices
        self.programs |= other.programs
        self.models |= other.models
        for key, ids in other.via.items():
            self.via[key] |= ids

    @classmethod
    def of_keys(cls, model, keys) -> "_Changes":
        """From the values of `_key_path(model)` read off the rows."""
        changes = cls(model)
        target = changes.programs if model.practice_path == PROGRAM else changes.practices
        target.update(key for key in keys if key is not None)
        return changes

    def practices_queryset(self, using):
        """The changed practices that exist, across programs: one query when evaluated."""
        from practices.models import Practice

        wanted = Q(pk__in=sorted(self.practices))
        for (model, lookup), ids in self.via.items():
            parents = model._base_manager.using(using).filter(pk__in=sorted(ids))
            wanted |= Q(pk__in=parents.values(lookup))
        return Practice.all_programs.using(using).filter(wanted).order_by("pk")


def _key_path(model) -> str:
    """The lookup that reads a row's practice id (or, for PROGRAM, its program id)."""
    path = model.practice_path
    return "program_id" if path == PROGRAM else path


def _first_hop(model, *, attname=False) -> str:
    """The field of the row itself on the way to its practice: a write to it moves the row."""
    name = model.practice_path.split("__")[0]
    if name in ("pk", PROGRAM):
        return ""
    return model._meta.get_field(name).attname if attname else name


def _touches(model, values: dict) -> bool:
    fields = model.source_fields
    return not fields or bool(set(values) & set(fields))


def _changes_of_rows(model, rows) -> _Changes:
    """Read off rows in memory: parents the writer had loaded are used, others are looked up in
    the flush (never here, one row at a time)."""
    changes = _Changes(model)
    path = model.practice_path
    for row in rows:
        if path == PROGRAM:
            changes.programs.add(row.program_id)
        elif path == "pk":
            if row.pk is not None:
                changes.practices.add(row.pk)
        else:
            _follow(row, path.split("__"), changes)
    return changes


def _follow(row, hops: list[str], changes: _Changes) -> None:
    for index, hop in enumerate(hops):
        field = row._meta.get_field(hop)
        key = getattr(row, field.attname)
        if key is None:
            return
        if index == len(hops) - 1:
            changes.practices.add(key)
            return
        if not field.is_cached(row):
            changes.via[(field.related_model, "__".join(hops[index + 1 :]))].add(key)
            return
        row = getattr(row, hop)


# One batch per transaction -----------------------------------------------------------------


class _Batch:
    """What one transaction changed. Its `commit` callback is registered with on_commit once;
    Django drops it on rollback, or on the rollback of the savepoint that registered it, and
    the batch is then dead: the next mark starts a new one."""

    def __init__(self, using):
        self.using = using
        self.changes = _Changes()  # everything, for the commit
        self.unread = _Changes()  # not yet handed over for a read inside the transaction
        self.reads: list[_ReadFlush] = []
        self.done = False
        self.commit = self._commit  # one bound method, so its on_commit entry can be found
        self.position = 0

    def add(self, changes: _Changes) -> None:
        self.changes.merge(changes)
        self.unread.merge(changes)

    def alive(self) -> bool:
        return not self.done and _registered(self.using, self.commit, self.position)

    def flush_for_reads(self) -> None:
        # A read flush undone by a savepoint rollback is owed again.
        for flush in self.reads:
            if not _registered(self.using, flush):
                self.unread.merge(flush.changes)
        self.reads = [flush for flush in self.reads if _registered(self.using, flush)]
        if not self.unread:
            return
        changes, self.unread = self.unread, _Changes()
        _deliver(changes, self.using)
        flush = _ReadFlush(changes)
        self.reads.append(flush)
        connections[self.using].on_commit(flush)

    def _commit(self) -> None:
        self.done = True
        _deliver(self.changes, self.using)


class _ReadFlush:
    """A token on the on_commit list: gone if a savepoint rollback undid the flush it stands
    for. Calling it (at commit) does nothing."""

    def __init__(self, changes: _Changes):
        self.changes = changes

    def __call__(self):
        pass


def _registered(using, func, position: int | None = None) -> bool:
    entries = connections[using].run_on_commit  # (savepoint ids, callback, robust)
    start = len(entries) - 1 if position is None else min(position, len(entries) - 1)
    # Only a savepoint rollback removes entries, so ours is at its position or before it.
    return any(entries[index][1] is func for index in range(start, -1, -1))


def _open_batch(using) -> _Batch | None:
    batch = getattr(_batches, using, None)
    return batch if batch is not None and batch.alive() else None


def _add(changes: _Changes, using) -> None:
    if not changes:
        return
    batch = _open_batch(using)
    if batch is None:
        batch = _Batch(using)
        setattr(_batches, using, batch)
        connection = connections[using]
        batch.position = len(connection.run_on_commit)
        batch.add(changes)
        # Robust: the write has committed. A failed mark is logged (the nightly recomputation
        # puts the standings right the next day) rather than turning a saved write into an error.
        connection.on_commit(batch.commit, robust=True)
    else:
        batch.add(changes)


def _deliver(changes: _Changes, using) -> None:
    practices = changes.practices_queryset(using)
    for subscriber, sources in _subscribers:
        if sources is None or bool(sources & changes.models) or None in changes.models:
            subscriber(practices=practices, program_ids=set(changes.programs))
