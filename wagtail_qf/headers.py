"""Security headers of the citizen pages.

The Content-Security-Policy allows no inline script or style. ``form-action``
must name FranceConnect's origin: the login and logout forms end in a redirect
to it, and browsers apply ``form-action`` to those redirects.
"""

from urllib.parse import urlsplit

from django.http import HttpResponseBase

from .conf import qf_settings


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy() -> str:
    franceconnect = _origin(qf_settings.FRANCECONNECT["DISCOVERY_URL"])
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            f"form-action 'self' {franceconnect}".strip(),
        ]
    )


def protect(response) -> HttpResponseBase:
    """Add the citizen pages' headers (kept if the site already set them)."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    # Personal data: never stored by a shared cache or the browser's back-forward cache.
    response.headers["Cache-Control"] = "no-store, private"
    return response
