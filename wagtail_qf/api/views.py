"""The editors' read-only API: the dossiers of the token's communes.

``GET dossiers/?since=<ISO datetime>&cursor=<opaque>&limit=<1..500>`` lists them
in (submitted_at, id) order with keyset pagination; ``GET dossiers/<reference>/``
returns one. ``Authorization: Bearer <token>``. Errors: JSON ``{"detail": ...}``.
"""

import datetime
import logging

from django.core import signing
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ..dossiers import serializers
from ..models import Submission
from .auth import authenticate, token_is_limited

logger = logging.getLogger("wagtail_qf.api")

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
CURSOR_SALT = "wagtail_qf.api.cursor"


class BadRequest(Exception):
    pass


def _json(data, status=200, **headers):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(status, detail, **headers):
    return _json({"detail": str(detail)}, status=status, **headers)


def api_view(view):
    """GET only, a valid token, under its rate limit; the token is passed to ``view``."""

    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return _error(405, _("Méthode non autorisée."), Allow="GET")
        token = authenticate(request)
        if token is None:
            logger.info("api refused: missing or invalid token")
            return _error(
                401,
                _("Jeton d'authentification absent, invalide ou désactivé."),
                WWW_Authenticate='Bearer realm="wagtail-qf"',
            )
        if token_is_limited(request, token):
            logger.warning("api rate limited token=%s", token.token_prefix)
            return _error(429, _("Trop de requêtes : réessayez dans une minute."), Retry_After="60")
        try:
            return view(request, token, *args, **kwargs)
        except BadRequest as exc:
            return _error(400, exc)

    wrapped.__name__ = view.__name__
    return wrapped


def scoped_submissions(token):
    return Submission.objects.filter(page_id__in=token.pages.values("pk"))


# -- parameters ---------------------------------------------------------------------
def parse_since(value: str | None):
    if not value:
        return None
    # An unencoded "+01:00" arrives as " 01:00".
    value = value.strip().replace(" ", "+") if "T" in value else value.strip()
    moment = parse_datetime_safe(value)
    if moment is None:
        day = parse_date_safe(value)
        if day is None:
            raise BadRequest(
                _(
                    "Paramètre « since » invalide : date ISO 8601 attendue, "
                    "par exemple 2026-01-31T08:00:00+01:00."
                )
            )
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_datetime_safe(value):
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def parse_date_safe(value):
    try:
        return parse_date(value)
    except ValueError:
        return None


def parse_limit(value: str | None) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(
            _("Paramètre « limit » invalide : un entier de 1 à %(max)s est attendu.") % {"max": MAX_LIMIT}
        )
    return limit


def make_cursor(token, row) -> str:
    return signing.dumps(
        [row["submitted_at"].isoformat(), row["id"], token.pk], salt=CURSOR_SALT, compress=False
    )


def parse_cursor(token, value: str | None):
    if not value:
        return None
    try:
        moment, pk, token_pk = signing.loads(value, salt=CURSOR_SALT)
        moment = datetime.datetime.fromisoformat(moment)
        pk = int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadRequest(_("Paramètre « cursor » invalide.")) from None
    if token_pk != token.pk:  # a cursor is only valid for the token it was given to
        raise BadRequest(_("Paramètre « cursor » invalide."))
    return moment, pk


# -- views --------------------------------------------------------------------------
@api_view
def dossier_list(request, token):
    since = parse_since(request.GET.get("since"))
    limit = parse_limit(request.GET.get("limit"))
    cursor = parse_cursor(token, request.GET.get("cursor"))
    queryset = scoped_submissions(token)
    if since is not None:
        queryset = queryset.filter(submitted_at__gte=since)
    if cursor is not None:
        moment, pk = cursor
        queryset = queryset.filter(Q(submitted_at__gt=moment) | Q(submitted_at=moment, pk__gt=pk))
    rows = list(serializers.api_rows(queryset.order_by("submitted_at", "pk"))[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    pages = serializers.page_infos({row["page_id"] for row in rows})
    next_cursor = make_cursor(token, rows[-1]) if more else None
    next_url = None
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path + "?" + params.urlencode())
    logger.info("api list token=%s count=%s", token.token_prefix, len(rows))
    return _json(
        {
            "count": len(rows),
            "next": next_cursor,
            "next_url": next_url,
            "results": [serializers.dossier(row, pages) for row in rows],
        }
    )


@api_view
def dossier_detail(request, token, reference):
    row = serializers.api_rows(scoped_submissions(token).filter(reference=reference)).first()
    if row is None:
        logger.info("api detail not found token=%s", token.token_prefix)
        return _error(404, _("Dossier introuvable."))
    logger.info("api detail token=%s", token.token_prefix)
    return _json(serializers.dossier(row, serializers.page_infos([row["page_id"]])))
