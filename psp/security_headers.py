"""The response headers that limit what a page of ours can do in the browser, and who keeps a copy.

- Content-Security-Policy: scripts, styles, fonts, connections and form posts only from our own
  origin; no inline script or style at all (templates keep theirs in static/js and static/css,
  and tests/test_security_headers.py fails on any that creeps back); never framed. An injected
  `<script>` or `onclick=` would not run even if escaping ever failed.
- Permissions-Policy: no page of ours uses the camera, microphone, location, payment and the
  like, so none may (nor anything a page embeds).
- Cache-Control: `private, no-store` on every answer that can hold a person's or a program's
  data (signed-in pages, the API, downloads), so neither a shared proxy nor the browser's disk
  cache keeps a copy after sign-out on a shared computer.
- Static files: whitenoise answers them before Django's clickjacking middleware runs, so they
  get their X-Frame-Options from `add_static_file_headers` (WHITENOISE_ADD_HEADERS_FUNCTION).
"""

from django.conf import settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # allauth shows the TOTP set-up QR code as a data: image.
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Only features Chromium and Firefox recognise: an unknown name is a console error on every page.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)

PRIVATE_CACHE_CONTROL = "private, no-store"
API_PREFIX = "/api/"


def holds_private_data(request, response) -> bool:
    """True for answers that may hold someone's data: anything a signed-in person sees, any API
    answer (a token's user is only known inside DRF, so go by the path), any download."""
    user = getattr(request, "user", None)
    return (
        (user is not None and user.is_authenticated)
        or request.path_info.startswith(API_PREFIX)
        or response.get("Content-Disposition", "").startswith("attachment")
    )


def _is_debug_error_page(response) -> bool:
    # With DEBUG on, Django's own 404 and 500 pages are inline-styled and scripted (Django 5.2
    # gives them no nonce); a developer should still be able to read them.
    return settings.DEBUG and response.status_code in (404, 500)


class SecurityHeadersMiddleware:
    """Adds the policies above to every answer Django gives (whitenoise's static files aside).

    A view that sets its own Content-Security-Policy or Permissions-Policy keeps it. A view's own
    Cache-Control is kept on private answers only when it already forbids storing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_debug_error_page(response):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        stored = "no-store" not in response.get("Cache-Control", "")
        if stored and holds_private_data(request, response):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


def add_static_file_headers(headers, path, url):
    """WHITENOISE_ADD_HEADERS_FUNCTION: static files may not be framed either (nosniff, HSTS and
    Referrer-Policy come from SecurityMiddleware, which wraps whitenoise)."""
    headers["X-Frame-Options"] = "DENY"
