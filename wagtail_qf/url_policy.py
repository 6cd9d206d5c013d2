"""The one rule for an address given by a software editor (webhook, return address of a
deep link, or the return address the deep link itself carries): an absolute https URL
(http too with ``DEBUG``), with a host, no user part, a valid port, and no space,
control character nor backslash (which browsers and servers read differently).

Without ``DEBUG``, the host is also public: webhooks are sent from the server, so an address of
its own network (loopback, private, link-local such as a cloud's metadata service, a local name,
an address written as a bare number) would make it call its neighbours. A public name that
resolves to such an address is not caught here.
"""

import ipaddress
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
    if not settings.DEBUG and is_local(parts.hostname):
        return None
    return parts


LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def is_local(host: str) -> bool:
    """Whether ``host`` names the server's own network rather than a public site."""
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    # 2130706433, 0x7f000001, 127.1: an address written as numbers, which resolvers accept.
    last = host.rsplit(".", 1)[-1]
    return last.isdigit() or last.startswith("0x")
