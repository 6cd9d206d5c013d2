"""Commune software editors: a read-only API token, a webhook and allowed return URIs.

The clear token is shown once, at creation; only its SHA-256 hash and a short
prefix (to tell tokens apart in the admin) are stored. The webhook secret is
kept in clear: it signs the webhooks (Standard Webhooks) and the editor needs it.
"""

import base64
import hashlib
import hmac
import re
import secrets

import swapper
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..url_policy import https_parts
from .pages import qf_pages_only

swapper.set_app_prefix("wagtailcore", "wagtail")

TOKEN_PREFIX = "qfe_"  # noqa: S105 -- the public prefix of every token, not a secret
DISPLAY_PREFIX_LENGTH = 12  # "qfe_" + 8 random characters
# What ``set_new_token`` makes (``token_urlsafe``'s alphabet), 200 characters at most.
TOKEN_SHAPE = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]{1,196}")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64 (50 characters)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def check_url(url: str, *, what) -> str:
    """Raise ValidationError unless ``url`` follows the editors' URL policy (``url_policy``)."""
    if https_parts(url) is None:
        raise ValidationError(
            _("%(what)s : adresse https complète d'un site public attendue (« %(url)s »).")
            % {"what": what, "url": url[:200]}
        )
    return url


def split_prefixes(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EditorTokenQuerySet(models.QuerySet):
    def active(self) -> "EditorTokenQuerySet":
        return self.filter(is_active=True)

    def for_page(self, page) -> "EditorTokenQuerySet":
        return self.active().filter(pages=getattr(page, "pk", page))


class EditorToken(models.Model):
    name = models.CharField(
        _("éditeur / logiciel"),
        max_length=120,
        help_text=_("Nom de l'éditeur et de son logiciel, par exemple « Portail Famille – Éditeur X »."),
    )
    # To the Page model, QF pages only: any page type built on the QF mixin can have tokens.
    pages = models.ManyToManyField(
        swapper.get_model_name("wagtailcore", "Page"),
        related_name="editor_tokens",
        blank=True,
        limit_choices_to=qf_pages_only,
        verbose_name=_("communes (pages de quotient familial)"),
        help_text=_("Le jeton ne lit que les dossiers de ces pages."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("début du jeton"), max_length=16, editable=False, db_index=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("actif"), default=True)
    # A CharField (checked in clean()): URLField's form field would assume "http://".
    webhook_url = models.CharField(
        _("adresse du webhook"),
        max_length=500,
        blank=True,
        validators=[URLValidator()],
        help_text=_("Facultatif : reçoit un POST signé (sans donnée personnelle) à chaque nouveau dossier."),
    )
    webhook_secret = models.CharField(
        _("secret du webhook"), max_length=64, default=new_webhook_secret, editable=False
    )
    redirect_uris = models.TextField(
        _("adresses de retour autorisées"),
        blank=True,
        help_text=_(
            "Une adresse par ligne (https) : le lien profond n'accepte qu'une adresse de retour "
            "qui commence par l'une d'elles."
        ),
    )

    # The national form's way back: the family returns to ``redirect_uri`` exactly as the link
    # gave it. Otherwise ``external_id``, ``reference`` and ``status`` are added to its query.
    return_untouched = models.BooleanField(
        _("revenir à l'adresse de retour telle quelle"),
        default=False,
        help_text=_(
            "Comme le formulaire national : la famille revient à l'adresse de retour du lien, sans "
            "paramètre ajouté (ni identifiant, ni référence du dossier, ni statut)."
        ),
    )

    objects = EditorTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("éditeur de logiciel")
        verbose_name_plural = _("éditeurs de logiciels")
        ordering = ["name"]

    def __str__(self):
        return self.name

    # -- the token ---------------------------------------------------------------
    def set_new_token(self) -> str:
        """Give the editor a new token; return it in clear (to show once)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_prefix = token[:DISPLAY_PREFIX_LENGTH]
        return token

    def matches(self, token: str) -> bool:
        return hmac.compare_digest(self.token_hash, hash_token(token))

    @classmethod
    def authenticate(cls, token: str) -> "EditorToken | None":
        """The active token whose hash is the hash of ``token``, or None (hashes compared in constant time)."""
        if not TOKEN_SHAPE.fullmatch(token or ""):  # not one of ours (a NUL would fail on PostgreSQL)
            return None
        candidates = cls.objects.filter(token_prefix=token[:DISPLAY_PREFIX_LENGTH])
        found = None
        for candidate in candidates:
            if candidate.matches(token):
                found = candidate
        return found if found is not None and found.is_active else None

    # -- validation ----------------------------------------------------------------
    def redirect_prefixes(self) -> list[str]:
        return split_prefixes(self.redirect_uris)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.webhook_url:
            try:
                check_url(self.webhook_url, what=_("Webhook"))
            except ValidationError as exc:
                errors["webhook_url"] = exc.messages
        messages = []
        for prefix in self.redirect_prefixes():
            try:
                check_url(prefix, what=_("Adresse de retour"))
            except ValidationError as exc:
                messages.extend(exc.messages)
        if messages:
            errors["redirect_uris"] = messages
        if errors:
            raise ValidationError(errors)
