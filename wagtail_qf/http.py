"""The one way the app builds an HTTP client: timeouts from the settings, our User-Agent.

Every outside call (API Particulier, the DGFiP, FranceConnect, HubEE, the editors'
webhooks) goes through a client made here, so that none waits without a limit and
each says who calls. ``transport`` is for tests and callers that bring their own;
respx patches below httpx's default transport, so it sees these clients as they are.
"""

import httpx

from . import __version__
from .conf import qf_settings

USER_AGENT = f"wagtail-qf/{__version__}"


def timeout_for(service: str) -> httpx.Timeout:
    """The timeouts of ``WAGTAIL_QF[service]``.

    ``CONNECT_TIMEOUT`` and ``READ_TIMEOUT`` where the section has them, else
    ``TIMEOUT`` for both; writing and waiting for a pooled connection get the read's."""
    conf = getattr(qf_settings, service)
    read = float(conf["READ_TIMEOUT"] if "READ_TIMEOUT" in conf else conf["TIMEOUT"])
    return httpx.Timeout(read, connect=float(conf.get("CONNECT_TIMEOUT", read)))


def client(
    service: str,
    *,
    timeout: httpx.Timeout | None = None,
    base_url: str = "",
    transport: httpx.BaseTransport | None = None,
    headers: dict | None = None,
    **kwargs,
) -> httpx.Client:
    """An ``httpx.Client`` for ``service`` (its ``WAGTAIL_QF`` section, e.g. ``"HUBEE"``).

    ``timeout`` replaces the section's (the API clients cut it to their time budget);
    ``headers`` are added to the User-Agent; redirects are not followed unless asked."""
    kwargs.setdefault("follow_redirects", False)
    return httpx.Client(
        base_url=base_url.rstrip("/"),
        timeout=timeout_for(service) if timeout is None else timeout,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        transport=transport,
        **kwargs,
    )
