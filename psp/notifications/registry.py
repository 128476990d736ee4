"""What apps tell the notifications app: the kinds of notification, and the rules that find
what is due.

An app registers its kinds and rules in its `reminders.py` (found at start-up by
`autodiscover_modules("reminders")` in apps.py), never by editing this app. A rule answers one
question for one program on one day: what is due, for whom, under which key? The notifications
app records each `Due` once per program (the key is unique), then delivers it as each recipient
chose for its kind: an email at once, a line in the daily digest, or in the app only.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Delivery(StrEnum):
    IMMEDIATE = "immediate"  # an email at once, and in the app
    DIGEST = "digest"  # in the daily digest email, and in the app
    APP = "app"  # in the app only


DELIVERY_LABELS = {
    Delivery.IMMEDIATE: "Email at once",
    Delivery.DIGEST: "Daily digest email",
    Delivery.APP: "In the app only",
}


@dataclass(frozen=True)
class Kind:
    code: str  # e.g. "visit_tomorrow"; stored on each notification
    label: str  # for the settings page, e.g. "A planned visit tomorrow"
    description: str  # one sentence: who gets it and when
    default: Delivery = Delivery.IMMEDIATE
    # People who may not have an account yet (an invitee): always an email, no settings.
    email_only: bool = False
    # send(program, notification) -> None: sends this kind's email itself, for a kind whose
    # email must carry something only its app can make (an invitation's fresh link). Without
    # it the notifications app sends its own email (title, body, link, settings link).
    send: Callable[..., None] | None = None


@dataclass(frozen=True)
class Due:
    """One notification that should exist. `key` is unique within the program and names the
    occasion, so a second scan (or a second run of the same task) records nothing new: e.g.
    f"visit_tomorrow:{visit.pk}:{visit.planned_on}:{user.pk}" — including the due date means a
    visit moved to another day is announced again, for the new day."""

    kind: str
    key: str
    title: str  # one line, e.g. "Visit at Northshore CHC tomorrow at 10:00"
    url: str  # the subject's page, a path such as "/p/northern/practices/4/"
    recipient_id: int | None = None  # a User; None only for email_only kinds
    email: str = ""  # for email_only kinds: the address (recipient_id may be None)
    body: str = ""  # a sentence or two of detail, plain text
    practice_id: int | None = None  # the practice it is about, if any


@dataclass(frozen=True)
class Rule:
    kind: Kind
    # find(program, today=<the program's local date>, now=<aware datetime>) -> Dues
    find: Callable[..., Iterable[Due]]
    description: str = ""


@dataclass
class Registry:
    kinds: dict[str, Kind] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)

    def add_kind(self, kind: Kind) -> Kind:
        if kind.code in self.kinds and self.kinds[kind.code] != kind:
            raise ValueError(f"Notification kind {kind.code!r} is registered twice.")
        self.kinds[kind.code] = kind
        return kind

    def add_rule(self, rule: Rule) -> Rule:
        self.add_kind(rule.kind)
        if rule not in self.rules:
            self.rules.append(rule)
        return rule


registry = Registry()


def register_kind(kind: Kind) -> Kind:
    """A kind sent on an event rather than found by a scan (e.g. "your report is ready")."""
    return registry.add_kind(kind)


def register_rule(kind: Kind, *, description: str = ""):
    """Decorate `find(program, *, today: date, now: datetime) -> Iterable[Due]`."""

    def decorate(find: Callable[..., Iterable[Due]]):
        registry.add_rule(Rule(kind=kind, find=find, description=description))
        return find

    return decorate


__all__ = [
    "DELIVERY_LABELS",
    "Delivery",
    "Due",
    "Kind",
    "Rule",
    "register_kind",
    "register_rule",
    "registry",
]
