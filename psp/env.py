"""Tiny typed readers for configuration from the environment."""

import os


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


_RATE_PERIODS = {"second", "minute", "hour", "day"}


def env_rate(name: str, default: str) -> str | None:
    """A request rate as DRF's throttles read it ("2000/hour", "300/minute"); "off" for none.
    Checked at start-up: a typo would otherwise fail every request it limits."""
    value = os.environ.get(name) or default
    if value.strip().lower() == "off":
        return None
    count, _, period = value.partition("/")
    if not count.isascii() or not count.isdigit() or period not in _RATE_PERIODS:
        raise ValueError(f'{name}="{value}": expected e.g. "2000/hour", "300/minute" or "off".')
    return value
