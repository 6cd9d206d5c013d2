"""Who may see a dossier again on the follow-up page « Suivre ma demande » (issue 18).

After FranceConnect, a dossier keeps a keyed hash of the citizen's ``sub`` (``follow_up_key``),
never the ``sub`` itself: a new FranceConnect login on the follow-up page finds the dossiers of the
same hash. Without FranceConnect, the family asks for a link by e-mail: a ``FollowUpLink`` keeps
the hash of its token only, the dossiers it opens, when it expires and when it was used (once).
"""

import hashlib

import swapper
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

SALT = "wagtail_qf.follow_up"


def follow_up_key(sub: str) -> str:
    """The keyed hash (HMAC-SHA256, key derived from ``SECRET_KEY``) a dossier keeps of a
    FranceConnect ``sub`` (already pairwise: one per service); "" without a ``sub``."""
    return salted_hmac(SALT, sub, algorithm="sha256").hexdigest() if sub else ""


def token_hash(token: str) -> str:
    """What a ``FollowUpLink`` keeps of its token: a leaked table opens no dossier."""
    return hashlib.sha256(token.encode()).hexdigest()


class FollowUpLink(models.Model):
    """A single-use, expiring link to a page's follow-up, e-mailed to the family.

    It names the dossiers (of its page) whose address asked for it: no address is kept here."""

    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"), on_delete=models.CASCADE, related_name="+"
    )
    submissions = models.JSONField(_("dossiers"), default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien de suivi")
        verbose_name_plural = _("liens de suivi")

    def __str__(self):
        return f"FollowUpLink {self.pk}"
