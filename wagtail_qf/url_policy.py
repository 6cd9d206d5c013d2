"""The one rule for an address given by a software editor (webhook, return address of a
deep link, or the return address the deep link itself carries): an absolute https URL
(http too with ``DEBUG``), with a host, no user part, a valid port, and no space,
control character nor backslash (which browsers and servers read differently).
"""

from urllib.parse import SplitResult, urlsplit

from django.conf import settings

MAX_LENGTH = 2000


def allowed_schemes() -> tuple[str, ...]:
    return ("https", "http") if settings.DEBUG else ("https",)


def https_parts(url: str) -> SplitResult | None:
    """The split ``url`` if the policy accepts it, else None."""
    if not url or len(url) > MAX_LENGTH or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return None
    if parts.scheme.lower() not in allowed_schemes() or not parts.hostname or "@" in parts.netloc:
        return None
    return parts
