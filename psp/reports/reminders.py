"""The notification the reports app sends: a report someone asked for (or subscribed to) is
ready, with a link to its page and the download."""

from psp.notifications.registry import Delivery, Kind, register_kind

REPORT_READY = register_kind(
    Kind(
        code="report_ready",
        label="A report you asked for is ready",
        description="When a report you requested or subscribed to has been made: a link to "
        "download it.",
        default=Delivery.IMMEDIATE,
    )
)
