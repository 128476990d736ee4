"""Reads of the notifications app. A person only ever reads their own notifications: every read
here filters on `recipient=user`, so another person's notification does not exist for them."""

from dataclasses import dataclass

from psp.notifications.models import Notification, NotificationPreference
from psp.notifications.registry import DELIVERY_LABELS, Delivery, Kind, registry


def notifications_of(*, user, unread_only: bool = False):
    """`user`'s notifications in the program in scope, newest first, with what the centre and
    the API show of each (its practice's name) already joined."""
    rows = Notification.objects.filter(recipient=user).select_related("practice")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def notification_of(*, user, pk: int) -> Notification:
    """One of `user`'s notifications (Notification.DoesNotExist for anyone else's)."""
    return Notification.objects.get(recipient=user, pk=pk)


@dataclass(frozen=True)
class KindChoice:
    """One kind on a person's settings: how it reaches them, and whether that is the default."""

    kind: Kind
    delivery: Delivery

    @property
    def is_default(self) -> bool:
        return self.delivery == self.kind.default

    @property
    def delivery_label(self) -> str:
        return DELIVERY_LABELS[self.delivery]


def choosable_kinds() -> list[Kind]:
    """The kinds a person chooses a delivery for (not those sent by email only), by label."""
    return sorted(
        (kind for kind in registry.kinds.values() if not kind.email_only),
        key=lambda kind: kind.label.lower(),
    )


def preferences_of(*, user) -> list[KindChoice]:
    """Every choosable kind with `user`'s delivery for it (their choice, else the default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        KindChoice(kind=kind, delivery=Delivery(chosen.get(kind.code, kind.default)))
        for kind in choosable_kinds()
    ]
