"""Where a dossier stands in its forwarding to HubEE (pages that opt in)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HubEEState(models.TextChoices):
    PENDING = "pending", _("À déposer")
    SENDING = "sending", _("Envoi en cours")
    RETRY = "retry", _("Nouvel essai prévu")
    DEPOSITED = "deposited", _("Déposé")
    FAILED = "failed", _("Échec")


class HubEEForwarding(models.Model):
    submission = models.OneToOneField("wagtail_qf.Submission", on_delete=models.CASCADE, related_name="hubee")
    state = models.CharField(_("état"), max_length=10, choices=HubEEState.choices, default=HubEEState.PENDING)
    folder_id = models.CharField(_("dossier HubEE"), max_length=64, blank=True)
    case_status = models.CharField(_("statut HubEE"), max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=40, blank=True)
    deposited_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dépôt HubEE")
        verbose_name_plural = _("dépôts HubEE")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="qf_hubee_state")]

    def __str__(self):
        return f"{self.submission_id}: {self.state}"
