"""The editors' read-only API, on django-ninja: the dossiers of the token's communes.

``GET dossiers/?since=<ISO datetime>&cursor=<opaque>&limit=<1..500>`` lists them in
(submitted_at, id) order with keyset pagination; ``GET dossiers/<reference>/`` returns one;
``GET openapi.json`` describes both. ``Authorization: Bearer <token>``. Errors: JSON
``{"detail": ...}`` in French. The dossiers come from the domain (``dossiers.serializers``).
"""

import datetime
import json
import logging
import math
from collections.abc import Callable
from functools import wraps

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import register_converter, reverse
from django.urls.converters import StringConverter
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.renderers import JSONRenderer

from ..dossiers import conversation, documents, history, serializers
from ..models import EditorToken, Submission, SubmissionStatus
from ..models.documents import DOCUMENT_TYPES
from . import webhooks
from .auth import EditorTokenAuth, EditorTokenThrottle
from .schemas import BadRequest, Dossier, DossierFilters, DossierList, Error, Exchanges

logger = logging.getLogger("wagtail_qf.api")

CURSOR_SALT = "wagtail_qf.api.cursor"
# How long after its transmission a dossier enters the list (its detail and webhook come at once).
SETTLING = datetime.timedelta(seconds=10)


class ReferenceConverter(StringConverter):
    """A dossier's reference in a path: no NUL, which PostgreSQL refuses in a query (a 500); such
    a path is then the API's 404 (``urls.unknown_path``)."""

    regex = "[^/\x00]+"


register_converter(ReferenceConverter, "qfreference")
ERRORS = {401: Error, 429: Error}  # every operation; the list adds 400, the detail 404
FILE_CONTENT = {
    mime: {"schema": {"type": "string", "format": "binary"}} for mime, _ext in DOCUMENT_TYPES.values()
}


class FrenchJSONRenderer(JSONRenderer):
    """Accented letters as they are (UTF-8), not ``\\u00e9``."""

    json_dumps_params = {"ensure_ascii": False}


class EditorsAPI(NinjaAPI):
    """Ninja's API, with an OpenAPI document whose paths do not depend on where a site mounts
    the app (that is its ``servers`` entry) and a plain ``application/json`` type."""

    def get_content_type(self) -> str:
        return self.renderer.media_type  # JSON is UTF-8 by definition (RFC 8259): no charset

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> dict:
        root = self.get_root_path(path_params or {})
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        schema["servers"] = [{"url": root.rstrip("/")}]
        webhooks.openapi_webhooks(schema)
        return schema


api = EditorsAPI(
    title="wagtail-qf : API des éditeurs de logiciels",
    version="1",
    description=(
        "Lecture seule des dossiers de quotient familial des communes d'un jeton d'éditeur. "
        "Jeton créé dans l'administration (Paramètres → Éditeurs de logiciels), envoyé en "
        '`Authorization: Bearer <jeton>`. Erreurs en JSON `{"detail": "..."}`, en français. '
        "Réponses en `Cache-Control: no-store`."
    ),
    # The app's own namespace: the URL names stay ``wagtail_qf:api_dossier``…, and never meet
    # those of another NinjaAPI of the site (``api-1.0.0`` by default).
    urls_namespace="wagtail_qf",
    # No interactive page: ninja's loads its scripts from a CDN unless "ninja" is installed as
    # an app, and it would invite editors to paste a token into a web page. The document opens
    # in any OpenAPI viewer.
    docs_url=None,
    auth=EditorTokenAuth(),
    throttle=EditorTokenThrottle(),
    renderer=FrenchJSONRenderer(),
)


def error(request: HttpRequest, status: int, detail: str, **headers: str) -> HttpResponse:
    """The API's answer to an error: ``{"detail": ...}``."""
    response = api.create_response(request, {"detail": str(detail)}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 in French, with the scheme to use (ninja's says "Unauthorized")."""
    return error(
        request,
        401,
        _("Jeton d'authentification absent, invalide ou désactivé."),
        WWW_Authenticate='Bearer realm="wagtail-qf"',
    )


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """429 in French, with ``Retry-After`` from ``EditorTokenThrottle.wait`` (set here: ninja
    adds it itself only from 1.7, and the lowest version supported is older)."""
    headers = {} if exc.wait is None else {"Retry_After": str(math.ceil(exc.wait))}
    return error(
        request,
        429,
        _("Trop de requêtes : réessayez après le délai donné par l'en-tête Retry-After, en secondes."),
        **headers,
    )


def api_view(view: Callable) -> Callable:
    """Around every URL of the API: GET (and HEAD) only, with a French JSON 405 for other
    methods (ninja's is plain text), and answers that no cache keeps. The errors are in French
    whatever the request's ``Accept-Language`` (the contract the README and the document give)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "HEAD":  # answered as a GET; the server drops the body
            request.method = "GET"
        with translation.override("fr"):
            if request.method == "GET":
                response = view(request, *args, **kwargs)
            else:
                response = error(request, 405, _("Méthode non autorisée."), Allow="GET, HEAD")
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return wrapped


def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other address under the API (the document lists them all): a JSON 404, not the site's
    HTML page."""
    logger.info("api unknown path")
    return error(
        request,
        404,
        _("Adresse inconnue dans l'API : ses adresses sont décrites dans son document openapi.json."),
    )


def openapi_document() -> str:
    """The OpenAPI document as served, in the text of ``docs/api/openapi.json``."""
    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2) + "\n"


# -- pagination -------------------------------------------------------------------------
def make_cursor(token: EditorToken, row: dict) -> str:
    """The signed position after ``row``, valid for ``token`` only."""
    return signing.dumps(
        [row["submitted_at"].isoformat(), row["id"], token.pk], salt=CURSOR_SALT, compress=False
    )


def parse_cursor(token: EditorToken, value: str | None) -> tuple[datetime.datetime, int] | None:
    """The (submitted_at, id) a cursor of ``token`` points after; BadRequest otherwise."""
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


def scoped_submissions(token: EditorToken) -> QuerySet:
    """The dossiers of the token's pages: the only ones it may read."""
    return Submission.objects.filter(page_id__in=token.pages.values("pk"))


# -- operations -------------------------------------------------------------------------
@api.get(
    "/dossiers/",
    response={200: DossierList, 400: Error, **ERRORS},
    url_name="api_dossiers",
    operation_id="list_dossiers",
    tags=["dossiers"],
    summary="Les dossiers des communes du jeton",
    exclude_unset=True,
)
def dossier_list(request: HttpRequest, filters: Query[DossierFilters]) -> dict:
    """Du plus ancien au plus récent (`submitted_at`, puis identifiant), par pages de `limit`.
    Un dossier y figure 10 secondes après sa transmission ; son détail et son webhook, aussitôt.
    Un dossier nouveau (`new`) lu ici passe au statut `received` (Reçu), sauf réglage contraire du site."""
    token = request.auth
    cursor = parse_cursor(token, filters.cursor)
    # Not the dossiers of the last seconds: one whose transaction is still open would commit behind
    # the cursor (or the ``since`` of the next poll) and never be listed.
    queryset = scoped_submissions(token).filter(submitted_at__lte=timezone.now() - SETTLING)
    if filters.since is not None:
        queryset = queryset.filter(submitted_at__gte=filters.since)
    if cursor is not None:
        moment, pk = cursor
        queryset = queryset.filter(Q(submitted_at__gt=moment) | Q(submitted_at=moment, pk__gt=pk))
    rows = list(serializers.api_rows(queryset.order_by("submitted_at", "pk"))[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    mark_fetched(request, rows)
    pages = serializers.page_infos({row["page_id"] for row in rows})
    next_cursor = make_cursor(token, rows[-1]) if more else None
    next_url = None
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path + "?" + params.urlencode())
    logger.info("api list token=%s count=%s", token.token_prefix, len(rows))
    return {
        "count": len(rows),
        "next": next_cursor,
        "next_url": next_url,
        "results": [serializers.dossier(row, pages) for row in rows],
    }


@api.get(
    "/dossiers/{qfreference:reference}/",
    response={200: Dossier, 404: Error, **ERRORS},
    url_name="api_dossier",
    operation_id="get_dossier",
    tags=["dossiers"],
    summary="Un dossier",
    exclude_unset=True,
)
def dossier_detail(request: HttpRequest, reference: str) -> dict:
    """Introuvable (404) hors des communes du jeton.
    Un dossier nouveau (`new`) lu ici passe au statut `received` (Reçu), sauf réglage contraire du site."""
    token = request.auth
    row = serializers.api_rows(scoped_submissions(token).filter(reference=reference)).first()
    if row is None:
        logger.info("api detail not found token=%s", token.token_prefix)
        raise HttpError(404, _("Dossier introuvable."))
    mark_fetched(request, [row])
    logger.info("api detail token=%s", token.token_prefix)
    return serializers.dossier(row, serializers.page_infos([row["page_id"]]))


def scoped_dossier(token: EditorToken, reference: str) -> Submission:
    """The dossier ``reference`` of the token's pages, not anonymised; 404 otherwise."""
    submission = scoped_submissions(token).filter(reference=reference, anonymised_at__isnull=True).first()
    if submission is None:
        logger.info("api dossier not found token=%s", token.token_prefix)
        raise HttpError(404, _("Dossier introuvable."))
    return submission


@api.get(
    "/dossiers/{qfreference:reference}/echanges/",
    response={200: Exchanges, 404: Error, **ERRORS},
    url_name="api_exchanges",
    operation_id="get_exchanges",
    tags=["dossiers"],
    summary="L'échange avec la famille et les documents d'un dossier",
    exclude_none=True,
)
def exchanges(request: HttpRequest, reference: str) -> dict:
    """Introuvable (404) hors des communes du jeton, ou une fois le dossier anonymisé (ses messages et
    documents effacés). Les commentaires internes des agents n'y sont jamais."""
    token = request.auth
    submission = scoped_dossier(token, reference)
    events = conversation.stories([submission.pk]).get(str(submission.pk), [])
    logger.info("api exchanges token=%s", token.token_prefix)
    return {
        "reference": submission.reference,
        "events": [
            {
                "date": event["date"].isoformat(),
                "kind": event["kind"],
                "status": event.get("status_code") or None,
                "message": event.get("message"),
                "delivery": event.get("state") or None,
                "document_names": event.get("names"),
            }
            for event in events
        ],
        "documents": [
            {
                "id": document.pk,
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "author": document.author,
                "visible_to_family": document.visible_to_family,
                "created_at": document.created_at.isoformat(),
                "url": request.build_absolute_uri(
                    reverse("wagtail_qf:api_document", args=[submission.reference, document.pk])
                ),
            }
            for document in submission.documents.order_by("created_at", "pk")
        ],
    }


@api.get(
    "/dossiers/{qfreference:reference}/documents/{int:document_id}/",
    response={200: None, 404: Error, **ERRORS},
    url_name="api_document",
    operation_id="get_document",
    tags=["dossiers"],
    summary="Un document du dossier (le fichier)",
    # Ninja says nothing of a file: a generated client would read no content.
    openapi_extra={"responses": {200: {"description": "Le fichier.", "content": FILE_CONTENT}}},
)
def document_file(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """Le fichier, en pièce jointe. Introuvable (404) hors des communes du jeton."""
    token = request.auth
    document = scoped_dossier(token, reference).documents.filter(pk=document_id).first()
    if document is None:
        raise HttpError(404, _("Document introuvable."))
    logger.info("api document token=%s", token.token_prefix)
    try:
        return documents.file_response(document)
    except Http404:  # its file is gone from the storage (logged): not ninja's English 404
        raise HttpError(404, _("Document introuvable.")) from None


def mark_fetched(request: HttpRequest, rows: list[dict]) -> None:
    """The new dossiers the commune's software just fetched become « Reçu » (``RECEIVED_WHEN``),
    in the answer too. Not for a HEAD (``api_view`` answers it as a GET): no dossier reaches it."""
    if request.META.get("REQUEST_METHOD") == "HEAD":
        return
    fetched = history.mark_fetched(
        [row["id"] for row in rows if row["status"] == SubmissionStatus.NEW], request.auth.name
    )
    for row in rows:
        if row["id"] in fetched:
            row["status"] = SubmissionStatus.RECEIVED
