"""A fixed-window limit on how often one client may do something, for public pages that take
no sign-in (the API has DRF's throttles, sign-in has allauth's limits).

Counts live in the cache (Redis in full mode, so every worker counts together; the process's
memory in the embedded mode). A cache that is down counts nothing rather than refusing
everyone: the limit is a brake on guessing, not the lock itself.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

from psp.accounts.security_log import client_address


@dataclass(frozen=True)
class Limit:
    scope: str  # e.g. "verify"
    count: int  # how many in one window
    seconds: int  # the window's length


def retry_after(request, limit: Limit, *, clock=time.time) -> int | None:
    """Count one more of `limit` for the request's client (its address as the sign-in limit
    reads it, behind our trusted proxies). None while within the limit; over it, the seconds
    until the window ends (for Retry-After)."""
    now = clock()
    window = int(now // limit.seconds)
    key = f"ratelimit:{limit.scope}:{client_address(request)}:{window}"
    try:
        cache.add(key, 0, timeout=limit.seconds + 1)
        used = cache.incr(key)
    except Exception:  # noqa: BLE001 - a cache outage must not close the page
        return None
    if used <= limit.count:
        return None
    return max(1, math.ceil((window + 1) * limit.seconds - now))
