"""Where a dossier stands in its forwarding to HubEE (pages that opt in)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HubEEState(models.TextChoices):
    PENDING = "pending", _("À déposer")
    SENDING = "sending", _("Envoi en cours")
    RETRY = "retry", _("Nouvel essai prévu")
    DEPOSITED = "deposited", _("Déposé")
    FAILED = "failed", _("Échec")
    # HubEE refused the deposit for a registration (process, subscription, attachment types):
    # nothing is retried until the commune or its operator has it registered.
    UNREGISTERED = "unregistered", _("Refusé par HubEE : enregistrement à compléter")


# What the agent reads when HubEE refused for a registration reason (``last_error``), and what to do.
REGISTRATION_REFUSALS = {
    "not_subscribed": _(
        "la commune n'est pas abonnée à la démarche dans HubEE. Demandez à HubEE l'abonnement du "
        "service instructeur (SIRET et code guichet de la commune) à la démarche du site."
    ),
    "unknown_recipient": _(
        "HubEE ne connaît pas le service instructeur (SIRET et code guichet de la commune). "
        "Vérifiez le SIRET de la page et demandez à HubEE de créer l'organisation."
    ),
    "attachment_refused": _(
        "un type ou un format de pièce jointe n'est pas déclaré pour la démarche dans HubEE. "
        "Demandez à HubEE de les déclarer (voir la documentation du module)."
    ),
}


# Why a deposit failed, as the agents read it (``HubEEForwarding.error_label``); the codes are
# ``hubee.client``'s and ``hubee.forwarding``'s.
ERROR_LABELS = {
    "timeout": _("HubEE n'a pas répondu à temps"),
    "connection": _("HubEE injoignable"),
    "bad_answer": _("réponse de HubEE illisible"),
    "bad_token_answer": _("réponse de HubEE illisible"),
    "unauthorized": _("identifiants HubEE du site refusés"),
    "forbidden": _("HubEE a refusé l'accès à la démarche"),
    "not_found": _("dossier introuvable sur HubEE"),
    "http_429": _("trop de demandes envoyées à HubEE"),
    "internal": _("erreur du site en préparant le dossier"),
    "dossier_withdrawn": _("dossier supprimé ou anonymisé pendant l'envoi"),
}


class HubEEForwarding(models.Model):
    submission = models.OneToOneField("wagtail_qf.Submission", on_delete=models.CASCADE, related_name="hubee")
    state = models.CharField(_("état"), max_length=12, choices=HubEEState.choices, default=HubEEState.PENDING)
    # Stored as soon as HubEE created the folder, before anything that can fail: a retry looks
    # at this folder first and never makes a second one.
    folder_id = models.CharField(_("dossier HubEE"), max_length=64, blank=True)
    case_id = models.CharField(_("sous-dossier HubEE"), max_length=64, blank=True, db_index=True)
    case_status = models.CharField(_("statut HubEE"), max_length=20, blank=True)
    # The last event of the commune's software applied to the dossier: an event whose acknowledgement
    # was lost comes back, and is not applied twice (no second e-mail to the family).
    last_event_id = models.CharField(_("dernier événement HubEE"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=40, blank=True)
    deposited_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    # The case and the folder were closed at HubEE (processed, or the dossier was anonymised).
    closed_at = models.DateTimeField(_("clos sur HubEE le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dépôt HubEE")
        verbose_name_plural = _("dépôts HubEE")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="qf_hubee_state")]

    def __str__(self):
        return f"{self.submission_id}: {self.state}"

    @property
    def error_label(self) -> str:
        """The last error in words: « HubEE indisponible » for ``http_503``; else its code."""
        code = self.last_error
        if code in ERROR_LABELS:
            return str(ERROR_LABELS[code])
        if code.startswith("http_5"):
            return str(_("HubEE indisponible"))
        if code.startswith("http_4"):
            return str(_("demande refusée par HubEE"))
        return code

    @property
    def refusal(self) -> str:
        """Why HubEE refused the deposit and what to ask it, when the refusal is a registration's."""
        if self.state != HubEEState.UNREGISTERED:
            return ""
        return str(REGISTRATION_REFUSALS.get(self.last_error, ""))
