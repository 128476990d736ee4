"""The filter of a person's notifications, for the notification centre and the API alike
(psp/filters.py holds the rules): `?unread=true` for the unread ones only."""

from psp.filters import ProgramFilterSet, YesNoFilter
from psp.notifications.models import Notification


class NotificationFilter(ProgramFilterSet):
    # Declared (not generated from the model), so that schema generation, which runs with no
    # program in scope, never touches the fail-closed manager.
    unread = YesNoFilter(
        method="filter_unread",
        label="Unread only",
        description="true: only the notifications not read yet; false: only those read.",
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
