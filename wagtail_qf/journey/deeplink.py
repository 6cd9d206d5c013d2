"""Deep link from an editor's family portal: ``<page>?external_id=…&redirect_uri=…``.

The link is accepted only when ``redirect_uri`` is an https URL (http too with
DEBUG) under one of the allowed prefixes of an active editor token covering
the page: same scheme and host, path under the prefix's path. Then both are
kept in the citizen session for this page; the confirmation offers the way
back, with ``external_id``, ``reference`` and ``status`` added to the URI.
A refused link is ignored (logged without the URI) and the journey goes on:
never an open redirect. The URI is checked again when the way back is shown.

The path is compared as the portal's server may read it (percent-decoded, dot
segments refused). The link is bound to the journey at the first login: until
a logout or the end of the session's time, another link cannot change the
family the dossier is tagged with. Deep links are rate-limited per client and
write the session only when they change it.
"""

import logging
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from ..models.editors import EditorToken
from ..ratelimit import is_limited
from ..url_policy import https_parts
from .session import CitizenSession

logger = logging.getLogger("wagtail_qf.api.deeplink")

EXTERNAL_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Some servers decode a path more than once: decode as long as it changes, this many times at most.
MAX_DECODINGS = 3
TRANSMITTED = "transmitted"
CANCELLED = "cancelled"


def _parts(uri: str):
    """The split URI if the editors' URL policy accepts it and its path decodes, else None."""
    parts = https_parts(uri)
    if parts is None or _decoded_path(parts.path) is None:
        return None
    return parts


def _decoded_path(path: str) -> str | None:
    """The path as the portal's server may read it, or None if it may leave its directory.

    Percent-decoded (``%2e%2e`` is ``..``, ``%2f`` is ``/``), repeatedly; refused
    with a dot segment (``..;x`` included), a backslash or a control character.
    """
    for _ in range(MAX_DECODINGS):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    else:
        if unquote(path) != path:  # still encoded: nothing sure about where it leads
            return None
    if any(ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in path):
        return None
    if any(segment.split(";", 1)[0] in ("..", ".") for segment in path.split("/")):
        return None
    return path


def _under(uri_parts, prefix: str) -> bool:
    prefix_parts = _parts(prefix)
    if prefix_parts is None:
        return False
    if (uri_parts.scheme.lower(), uri_parts.netloc.lower()) != (
        prefix_parts.scheme.lower(),
        prefix_parts.netloc.lower(),
    ):
        return False
    base, path = _decoded_path(prefix_parts.path), _decoded_path(uri_parts.path)
    if not base or base == "/":
        return True
    if base.endswith("/"):
        return path.startswith(base)
    return path == base or path.startswith(base + "/")


def allowed(page, redirect_uri: str) -> bool:
    """Whether an active editor token covering ``page`` allows ``redirect_uri``."""
    parts = _parts(redirect_uri)
    if parts is None:
        return False
    for prefixes in EditorToken.objects.for_page(page).values_list("redirect_uris", flat=True):
        if any(_under(parts, prefix) for prefix in EditorToken(redirect_uris=prefixes).redirect_prefixes()):
            return True
    return False


def accept(page, request) -> bool:
    """Keep the deep link of the start step's query in the session, if it is acceptable."""
    external_id = request.GET.get("external_id")
    redirect_uri = request.GET.get("redirect_uri")
    if external_id is None and redirect_uri is None:
        return False
    citizen = CitizenSession(request)
    if is_limited(request, "deeplink"):  # each accepted link may create a session
        reason = "rate_limited"
    elif external_id is None or not EXTERNAL_ID.fullmatch(external_id):
        reason = "external_id"
    elif not redirect_uri or not allowed(page, redirect_uri):
        reason = "redirect_uri"
    elif citizen.journey_under_way and not citizen.has_portal(page, external_id, redirect_uri):
        # Bound at the login: a later link (a cross-site navigation, say) would tag the
        # dossier with another family's id. A new journey (after a logout) takes it.
        reason = "journey"
    else:
        citizen.set_portal(page, external_id, redirect_uri)
        logger.info("deep link accepted page=%s", page.pk)
        return True
    # Never the URI itself: its query may carry the family's data.
    parts = _parts(redirect_uri or "")
    host = parts.hostname if parts else "-"
    logger.warning("deep link refused page=%s reason=%s host=%s", page.pk, reason, host)
    return False


def return_url(page, request, status: str, reference: str = "") -> str:
    """The way back to the portal ("" when the citizen did not come from one)."""
    portal = CitizenSession(request).portal(page)
    if not portal or not allowed(page, portal.get("redirect_uri", "")):
        return ""
    parts = urlsplit(portal["redirect_uri"])
    added = {"external_id": portal["external_id"], "status": status}
    if reference:
        added["reference"] = reference
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in added]
    return urlunsplit(parts._replace(query=urlencode(query + list(added.items()))))
