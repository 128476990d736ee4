"""A person's own notifications: marking them read, keeping the header's unread count right, and
choosing how each kind arrives. Everything here acts on `user`'s own rows only: another person's
notification is "not found" (Notification.DoesNotExist), as another program's is."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from psp.notifications.models import Notification, NotificationPreference
from psp.notifications.registry import DELIVERY_LABELS, Delivery, registry
from psp.tenancy.models import ProgramMembership


def notification_mark_read(*, program, user, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (again is harmless); returns it."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(
            pk=notification_id, recipient=user
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            ProgramMembership.objects.filter(user=user, unread_notifications__gt=0).update(
                unread_notifications=F("unread_notifications") - 1
            )
    return notification


def notifications_mark_all_read(*, program, user) -> int:
    """Mark every unread notification of `user` read; returns how many were unread."""
    with transaction.atomic():
        marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        ProgramMembership.objects.filter(user=user).update(unread_notifications=0)
    return marked


def notifications_recount(*, program, user, membership=None) -> int:
    """Count `user`'s unread notifications again and store the count on their membership (the
    header's figure), healing any drift; `membership`, when given, is updated in place."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    if membership is None or membership.unread_notifications != unread:
        ProgramMembership.objects.filter(user=user).exclude(unread_notifications=unread).update(
            unread_notifications=unread
        )
    if membership is not None:
        membership.unread_notifications = unread
    return unread


def notification_preferences_set(*, program, user, choices: dict[str, str]) -> None:
    """Set how `user` receives each kind named in `choices` (kind code -> delivery). Kinds not
    named keep their setting. A kind that does not exist or is sent by email only, or a delivery
    that is not one of the three, is refused (ValidationError naming the kind) and nothing
    changes."""
    errors = {}
    for code, delivery in choices.items():
        kind = registry.kinds.get(code)
        if kind is None or kind.email_only:
            errors[code] = "There is no such kind of notification to choose for."
        elif delivery not in {choice.value for choice in Delivery}:
            labels = ", ".join(DELIVERY_LABELS.values())
            errors[code] = f"Choose one of: {labels}."
    if errors:
        raise ValidationError(errors)
    rows = [
        NotificationPreference(program=program, user=user, kind=code, delivery=delivery)
        for code, delivery in choices.items()
    ]
    NotificationPreference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["program", "user", "kind"],
        update_fields=["delivery", "updated_at"],
    )
