"""Deep link from an editor's family portal: ``<page>?external_id=…&redirect_uri=…``.

The link is accepted only when ``redirect_uri`` is an https URL (http too with
DEBUG) under one of the allowed prefixes of an active editor token covering
the page: same scheme and host, path under the prefix's path. Then both are
kept in the citizen session for this page; the confirmation offers the way
back, with ``external_id``, ``reference`` and ``status`` added to the URI.
A refused link is not followed (never an open redirect): the journey goes on, the
start page tells the family, and the refusal is logged without the URI, and kept in
the page's history for the webmaster (``REFUSED_ACTION``, a few a day at most). The
URI is checked again when the way back is shown. A token may ask for the way back
untouched (``EditorToken.return_untouched``, as the national form does).

The path is compared as the portal's server may read it (percent-decoded, dot
segments refused). The link is bound to the journey at the first login: until
a logout or the end of the session's time, another link cannot change the
family the dossier is tagged with. Deep links are rate-limited per client and
write the session only when they change it.
"""

import logging
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

from ..models.editors import EditorToken
from ..ratelimit import is_limited
from ..url_policy import https_parts
from .session import CitizenSession

logger = logging.getLogger("wagtail_qf.api.deeplink")

EXTERNAL_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
HOST = re.compile(r"[a-z0-9.-]{1,100}")
# Some servers decode a path more than once: decode as long as it changes, this many times at most.
MAX_DECODINGS = 3
TRANSMITTED = "transmitted"
CANCELLED = "cancelled"

# Why a deep link was refused, as the webmaster reads it in the page's history. A link refused
# for too many links from one address is only logged: a flood would fill the day's entries.
REFUSALS = {
    "external_id": _("identifiant de la famille (external_id) absent ou mal formé"),
    "redirect_uri": _("adresse de retour (redirect_uri) qu'aucun éditeur de cette page n'a enregistrée"),
    "journey": _("un autre lien alors qu'une démarche était en cours"),
}
RATE_LIMITED = "rate_limited"
REFUSED_ACTION = "wagtail_qf.deep_link_refused"
# Refusals kept in a page's history a day, at most: a robot must not flood it (all are logged).
MAX_RECORDED_A_DAY = 20
RECORDED_KEY = "wagtail_qf:deeplink:refused:{page}"


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
    for _attempt in range(MAX_DECODINGS):
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


def _allowing(page, redirect_uri: str) -> list[bool]:
    """For each active editor token covering ``page`` that allows ``redirect_uri``: whether it
    asks for the way back untouched."""
    parts = _parts(redirect_uri)
    if parts is None:
        return []
    tokens = EditorToken.objects.for_page(page).values_list("redirect_uris", "return_untouched")
    return [
        untouched
        for prefixes, untouched in tokens
        if any(_under(parts, prefix) for prefix in EditorToken(redirect_uris=prefixes).redirect_prefixes())
    ]


def allowed(page, redirect_uri: str) -> bool:
    """Whether an active editor token covering ``page`` allows ``redirect_uri``."""
    return bool(_allowing(page, redirect_uri))


def accept(page, request) -> str:
    """Keep the deep link of the start step's query in the session, if it is acceptable.

    Returns why it was refused (a key of ``REFUSALS``, or ``RATE_LIMITED``), "" when kept or when
    there is none."""
    external_id = request.GET.get("external_id")
    redirect_uri = request.GET.get("redirect_uri")
    if external_id is None and redirect_uri is None:
        return ""
    citizen = CitizenSession(request)
    if is_limited(request, "deeplink"):  # each accepted link may create a session
        reason = RATE_LIMITED
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
        return ""
    # Never the URI itself: its query may carry the family's data.
    host = _host(redirect_uri or "")
    logger.warning("deep link refused page=%s reason=%s host=%s", page.pk, reason, host)
    if reason != RATE_LIMITED:
        record_refusal(page, reason, host)
    return reason


def _host(uri: str) -> str:
    """The host of a web address, if it reads as one ("-" otherwise): the webmaster's clue."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
    except ValueError:
        return "-"
    return host if parts.scheme in ("http", "https") and HOST.fullmatch(host) else "-"


def record_refusal(page, reason: str, host: str) -> None:
    """A refused link in the page's history (Wagtail's log), for the webmaster: the reason and the
    portal's host, nothing of the family; ``MAX_RECORDED_A_DAY`` a page at most."""
    key = RECORDED_KEY.format(page=page.pk)
    cache.add(key, 0, 24 * 3600)
    try:
        recorded = cache.incr(key)
    except ValueError:  # expired between the two calls
        recorded = 1
    if recorded <= MAX_RECORDED_A_DAY:
        log(instance=page, action=REFUSED_ACTION, user=None, data={"reason": reason, "host": host})


def register(actions) -> None:
    """The refused links in Wagtail's history (``register_log_actions`` hook)."""

    @actions.register_action(REFUSED_ACTION)
    class RefusedFormatter(LogFormatter):
        label = _("Lien profond refusé")

        def format_message(self, log_entry) -> str:
            data = log_entry.data or {}
            return _("Lien d'un portail famille refusé : %(reason)s (portail : %(host)s).") % {
                "reason": REFUSALS.get(data.get("reason"), data.get("reason", "")),
                "host": data.get("host", "-"),
            }


def return_url(page, request, status: str, reference: str = "") -> str:
    """The way back to the portal ("" when the citizen did not come from one): ``redirect_uri``
    with ``external_id``, ``status`` and ``reference`` added, or untouched when its token asks."""
    portal = CitizenSession(request).portal(page)
    tokens = _allowing(page, portal.get("redirect_uri", "")) if portal else []
    if not tokens:
        return ""
    if any(tokens):  # a token allowing it asks for it untouched (the national form's way)
        return portal["redirect_uri"]
    parts = urlsplit(portal["redirect_uri"])
    added = {"external_id": portal["external_id"], "status": status}
    if reference:
        added["reference"] = reference
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in added]
    return urlunsplit(parts._replace(query=urlencode(query + list(added.items()))))
