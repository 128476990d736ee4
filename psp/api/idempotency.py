"""One-time keys for API writes that must happen once (logging a visit): `submission_key` in the
body or an `Idempotency-Key` header.

The same key sent again with the same request answers with what the first request made. Sent
with a different request it is refused with a 422 naming the key: answering with the first
result would drop what the second request said without a word. Each write stores a fingerprint
of its request beside the key, which is how the two cases are told apart.
"""

import hashlib
import json
import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions

from psp.api.schema import ErrorSerializer

HEADER = "Idempotency-Key"
BODY_FIELD = "submission_key"
IDEMPOTENCY_HEADER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A key of your choosing, unique per request you mean (a UUID is best). Sending "
    "it again with the same request returns what the first request made; with a different "
    "request it is refused (422). Same as `submission_key` in the body.",
)
KEY_REUSED_RESPONSE = OpenApiResponse(
    ErrorSerializer,
    description="The key was already sent with a different request; send a new key.",
)
# Keys that are not UUIDs are turned into one, per person, so two people's keys never meet.
NAMESPACE = uuid.UUID("8f7c2d52-3c1e-4f51-9f49-0b8a3d6f2a10")


def idempotency_key(request, body_key) -> uuid.UUID | None:
    """The request's one-time key: `submission_key` in the body, else the Idempotency-Key
    header (a UUID as it is, any other text turned into one for this person)."""
    if body_key:
        return body_key
    header = (request.headers.get(HEADER) or "").strip()
    if not header:
        return None
    if len(header) > 255:
        raise exceptions.ValidationError({HEADER: ["At most 255 characters."]})
    try:
        return uuid.UUID(header)
    except ValueError:
        return uuid.uuid5(NAMESPACE, f"{request.user.pk}:{header}")


def request_fingerprint(request) -> str:
    """A hash of what the request asks: its path and its JSON body with the key left out (so
    the key may come in the body or the header), keys sorted, whitespace ignored."""
    body = {name: value for name, value in request.data.items() if name != BODY_FIELD}
    canonical = json.dumps(
        [request.path, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"

    def __init__(self, request):
        body_key = request.data.get(BODY_FIELD)
        if body_key:
            named = f'{BODY_FIELD} "{body_key}"'
        else:
            named = f'{HEADER} "{(request.headers.get(HEADER) or "").strip()}"'
        super().__init__(
            f"The {named} was already sent with a different request. A resend must repeat the "
            "first request exactly; send a new key for a new request."
        )
