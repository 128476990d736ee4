"""Recording what is due, once, and delivering what was new.

Each occasion is a `Due` with a key unique in the program (psp/notifications/registry.py). Rows
are inserted "if absent" in one statement that answers with the rows it really inserted
(`INSERT … ON CONFLICT DO NOTHING RETURNING`), so two scans running at once, or a task run twice,
record each occasion once and only the one that inserted a row delivers it. Delivering: the
count of unread notifications on each recipient's membership goes up, and what is to be emailed
at once is written into the outbox (one task per notification, keyed by its id), in the same
transaction. What waits for a digest is picked up by `digests_send_due`; "in the app only" needs
nothing more.

A scan costs the rules' own queries plus a fixed number of bulk statements, however many
notifications it finds (tests/notifications/test_scan.py counts them).
"""

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Case, F, PositiveIntegerField, Value, When
from django.utils import timezone

from psp.notifications.models import Notification, NotificationPreference
from psp.notifications.registry import Delivery, Due, Kind, registry
from psp.notifications.services.emails import digests_send_due
from psp.notifications.tasks import send_notification_email
from psp.outbox.services import outbox_enqueue_many
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import current_program_id

logger = logging.getLogger(__name__)

# Rows per INSERT: well inside both databases' limits on parameters per statement.
INSERT_BATCH = 500

# Set within `recorded_as_delivered()`.
_as_delivered: ContextVar[bool] = ContextVar("notifications_as_delivered", default=False)


class RuleFailed(RuntimeError):
    """A rule raised; what the other rules found was recorded and delivered all the same."""


def notifications_scan(*, program, now: datetime | None = None) -> int:
    """Ask every registered rule what is due in `program` today (the program's local date at
    `now`), record each occasion once and deliver the new ones. Returns how many were new.

    A rule that raises does not stop the others: the rest are recorded, then RuleFailed names
    the rules that failed (so the task shows it failed, with the reason)."""
    now = now or timezone.now()
    today = now.astimezone(program.zone).date()
    dues: list[Due] = []
    failed: list[str] = []
    for rule in list(registry.rules):
        try:
            # A savepoint: a rule whose query fails leaves the surrounding transaction usable.
            with transaction.atomic():
                dues.extend(rule.find(program, today=today, now=now))
        except Exception:
            logger.exception("Reminder rule %s failed in program %s", rule.kind.code, program.pk)
            failed.append(rule.kind.code)
    with transaction.atomic():
        new = record(program=program, dues=dues, now=now)
    if failed:
        raise RuleFailed(f"Reminder rules failed: {', '.join(failed)} (see the log).")
    return len(new)


def reminders_run(*, program, now: datetime | None = None) -> tuple[int, int]:
    """What beat (every 15 minutes) and `manage.py send_reminders` do for one program: the
    scan, then the digests that are due (those too when a rule failed). Returns (new
    notifications, digest tasks written)."""
    now = now or timezone.now()
    try:
        found = notifications_scan(program=program, now=now)
    finally:
        digests = digests_send_due(program=program, now=now)
    return found, digests


def notify(*, program, due: Due) -> Notification | None:
    """Record and deliver one notification caused by an event (a report is ready). None when
    its key was recorded already: the same event announced twice is announced once."""
    with transaction.atomic():
        new = record(program=program, dues=[due], now=timezone.now())
    return new[0] if new else None


def record(*, program, dues: list[Due], now: datetime) -> list[Notification]:
    """Insert the dues whose key the program has not recorded yet and deliver those; returns
    the new rows. Call inside a transaction."""
    if program.pk != current_program_id():
        raise ValueError("Notifications are recorded inside their own program's scope.")
    dues = _first_of_each_key(dues)
    if not dues:
        return []
    deliveries = _deliveries(dues)
    # In key order: two scans inserting the same keys at once then wait for each other in the
    # same order, and never deadlock.
    rows = [_row(program, due, deliveries[due.key], now) for due in dues]
    rows.sort(key=lambda row: row.key)
    delivered = _as_delivered.get()
    if delivered:
        for row in rows:
            row.emailed_at = now if row.delivery != Delivery.APP else None
    inserted = {}
    for start in range(0, len(rows), INSERT_BATCH):
        inserted |= _insert_absent(rows[start : start + INSERT_BATCH])
    new = [row for row in rows if row.key in inserted]
    for row in new:
        row.pk = inserted[row.key]
        row._state.adding = False
    _count_unread(new)
    work = [
        (f"notification-email:{row.pk}", {"notification_id": row.pk})
        for row in new
        if row.delivery == Delivery.IMMEDIATE and not delivered
    ]
    outbox_enqueue_many(send_notification_email, program=program, work=work)
    return new


@contextmanager
def recorded_as_delivered() -> Iterator[None]:
    """Within it, what is recorded counts as delivered already: it shows in the app, unread,
    but no email goes into the outbox and nothing waits for a digest. For the demo seed, which
    records what a running program would have been told (psp/demo/notifications.py) and must
    not email its example addresses. A context rather than an argument because the notices of
    events are recorded deep inside the work that causes them (a report's build)."""
    token = _as_delivered.set(True)
    try:
        yield
    finally:
        _as_delivered.reset(token)


def kind_of(due: Due) -> Kind:
    kind = registry.kinds.get(due.kind)
    if kind is None:
        raise ValueError(f"Notification kind {due.kind!r} is not registered (registry.py).")
    if due.recipient_id is None and not (kind.email_only and due.email):
        raise ValueError(f"{due.key}: a notification needs a recipient, or an email address.")
    return kind


def _first_of_each_key(dues: list[Due]) -> list[Due]:
    seen: dict[str, Due] = {}
    for due in dues:
        kind_of(due)
        seen.setdefault(due.key, due)
    return list(seen.values())


def _deliveries(dues: list[Due]) -> dict[str, Delivery]:
    """key -> how it is delivered: the recipient's choice for its kind, else the kind's
    default; email-only kinds always by email. One query for every recipient at once."""
    chosen = dict(
        ((user_id, kind), delivery)
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user_id__in={due.recipient_id for due in dues if due.recipient_id},
            kind__in={due.kind for due in dues},
        ).values_list("user_id", "kind", "delivery")
    )
    result = {}
    for due in dues:
        kind = registry.kinds[due.kind]
        if kind.email_only:
            result[due.key] = Delivery.IMMEDIATE
        else:
            result[due.key] = Delivery(chosen.get((due.recipient_id, due.kind), kind.default))
    return result


def _row(program, due: Due, delivery: Delivery, now: datetime) -> Notification:
    return Notification(
        program=program,
        recipient_id=due.recipient_id,
        email=due.email,
        kind=due.kind,
        key=due.key,
        title=due.title[:300],
        body=due.body,
        url=due.url,
        practice_id=due.practice_id,
        created_at=now,
        delivery=delivery,
    )


def _insert_absent(rows: list[Notification]) -> dict[str, int]:
    """Insert the rows whose (program, key) is not taken; {key: id} of those inserted.

    The ORM's bulk_create cannot say which rows an "ignore conflicts" insert really wrote, and
    that is the whole point here, so this one statement is written out (PostgreSQL and SQLite
    both take it)."""
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(Notification._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES {', '.join([one_row] * len(rows))} "
        f"ON CONFLICT DO NOTHING RETURNING {quote(Notification._meta.pk.column)}, {quote('key')}"
    )
    params = [
        field.get_db_prep_save(field.pre_save(row, add=True), connection)
        for row in rows
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: pk for pk, key in cursor.fetchall()}


def _count_unread(new: list[Notification]) -> None:
    """Each recipient's unread count goes up by their new notifications: one UPDATE."""
    counts = Counter(row.recipient_id for row in new if row.recipient_id is not None)
    if not counts:
        return
    added = Case(
        *[When(user_id=user_id, then=Value(count)) for user_id, count in counts.items()],
        default=Value(0),
        output_field=PositiveIntegerField(),
    )
    ProgramMembership.objects.filter(user_id__in=counts).update(
        unread_notifications=F("unread_notifications") + added
    )
