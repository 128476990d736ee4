"""Notification emails: one at once, or the day's digest. Run by the tasks (tasks.py), each
idempotent: the row that records the sending (the notification's `emailed_at`, the digest's
`sent_at`) is locked first and set in the same transaction as the send, so a task delivered
twice sends once, and a mail server that refuses rolls the mark back for the retry.

Every email greets the person by name, links to its subject and to the person's notification
settings in the program (absolute links: settings.PSP_SITE_URL)."""

import logging
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from psp.notifications.models import Digest, Notification
from psp.notifications.registry import Delivery, registry
from psp.notifications.tasks import send_digest
from psp.outbox.services import outbox_enqueue_many

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.PSP_SITE_URL.rstrip("/") + path if path else ""


def settings_url(program) -> str:
    return absolute(reverse("notifications:settings", kwargs={"program": program.slug}))


def centre_url(program) -> str:
    return absolute(reverse("notifications:list", kwargs={"program": program.slug}))


# At once -----------------------------------------------------------------------------------


def notification_email_send(*, program, notification_id: int) -> bool:
    """Email one notification, unless it was emailed already. Returns whether it was sent.

    A kind with its own `send` (an invitation's fresh link) sends its email itself."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        kind = registry.kinds.get(notification.kind)
        if kind is not None and kind.send is not None:
            kind.send(program, notification)
        else:
            _notification_email(program=program, notification=notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    logger.info("Notification %s emailed", notification_id)
    return True


def _address(notification: Notification) -> str:
    return notification.recipient.email if notification.recipient_id else notification.email


def _notification_email(*, program, notification: Notification) -> EmailMultiAlternatives:
    context = {
        "program": program,
        "person": notification.recipient,
        "notification": notification,
        "link": absolute(notification.url),
        "settings_url": settings_url(program) if notification.recipient_id else "",
        "centre_url": centre_url(program),
    }
    return _message("notification", context, to=_address(notification), subject=notification.title)


def _message(name: str, context: dict, *, to: str, subject: str) -> EmailMultiAlternatives:
    text = render_to_string(f"notifications/email/{name}.txt", context)
    html = render_to_string(f"notifications/email/{name}.html", context)
    subject = " ".join(f"{context['program'].name}: {subject}".split())
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


# The daily digest ----------------------------------------------------------------------------


def _waiting():
    """Notifications that wait for a digest: chosen for the digest, not emailed, not read in
    the app meanwhile (nothing to tell about those)."""
    return Notification.objects.filter(
        delivery=Delivery.DIGEST,
        emailed_at__isnull=True,
        read_at__isnull=True,
        recipient__isnull=False,
    )


def digests_send_due(*, program, now: datetime | None = None) -> int:
    """Once the program's local hour has reached its digest hour, write a digest task for each
    person with notifications waiting and no digest sent for today (the program's local date).
    At most one digest per person per day: a notification recorded after today's digest waits
    for tomorrow's. Returns how many digest tasks were written."""
    now = now or timezone.now()
    local = now.astimezone(program.zone)
    if local.hour < program.digest_hour:
        return 0
    day = local.date().isoformat()
    sent_today = Digest.objects.filter(day=local.date(), sent_at__isnull=False)
    people = (
        _waiting()
        .filter(created_at__lte=now)
        .exclude(recipient__in=sent_today.values("user_id"))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    work = [(f"digest:{user_id}:{day}", {"user_id": user_id, "day": day}) for user_id in people]
    with transaction.atomic():
        return outbox_enqueue_many(send_digest, program=program, work=work)


def digest_send(*, program, user_id: int, day: date) -> bool:
    """Send `user_id`'s digest for `day`: one email listing every notification waiting for it,
    which are then marked emailed. The digest row is made once and locked, so a second run (a
    task delivered twice) finds it sent and sends nothing. Returns whether an email went out."""
    person = get_user_model().objects.get(pk=user_id)
    with transaction.atomic():
        digest, _ = Digest.objects.get_or_create(user_id=user_id, day=day)
        digest = Digest.objects.select_for_update().get(pk=digest.pk)
        if digest.sent_at is not None:
            return False
        cutoff = _end_of(day, program)
        items = list(
            _waiting()
            .filter(recipient_id=user_id, created_at__lt=cutoff)
            .select_related("practice")
            .order_by("created_at", "pk")
        )
        if not items:
            return False
        context = {
            "program": program,
            "person": person,
            "day": day,
            "items": [(item, absolute(item.url)) for item in items],
            "settings_url": settings_url(program),
            "centre_url": centre_url(program),
        }
        count = len(items)
        subject = f"{count} notification{'' if count == 1 else 's'} today"
        _message("digest", context, to=person.email, subject=subject).send()
        now = timezone.now()
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            emailed_at=now, digest=digest
        )
        digest.sent_at = now
        digest.save(update_fields=["sent_at"])
    logger.info("Digest of %s for %s sent with %s notifications", user_id, day, count)
    return True


def _end_of(day: date, program) -> datetime:
    """The end of `day` in the program's time zone: the digest of a day never lists what was
    recorded after it (a digest task that ran late)."""
    return datetime.combine(day, time.max, tzinfo=program.zone)
