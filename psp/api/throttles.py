"""How often one caller may call the API.

A request with a token is counted against that token; a request with the session cookie against
the person. Two rates hold at once, both from settings (PSP_API_RATE, PSP_API_BURST_RATE): a
sustained one per hour and a burst one per minute. The counts live in the cache, which is Redis
in full mode, so every worker counts together. Over a rate the answer is a 429 in the error
format with `Retry-After` (DRF's Throttled, through psp/api/errors.py).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from psp.accounts.models import ApiToken


class CallerRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read per request, not once at import as DRF does, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            caller = f"token-{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            caller = f"user-{request.user.pk}"
        else:
            return None  # anonymous: answered 401 before anything is read
        return self.cache_format % {"scope": self.scope, "ident": caller}


class SustainedRateThrottle(CallerRateThrottle):
    scope = "sustained"


class BurstRateThrottle(CallerRateThrottle):
    scope = "burst"
