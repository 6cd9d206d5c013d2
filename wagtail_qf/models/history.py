"""The dossiers' own log entries.

Wagtail's reports (site history, its filters and exports) read each registered log
model's ``viewable_by_user``. Wagtail's generic ``ModelLogEntry`` shows a model's
entries to anyone holding a permission on the model: every commune's dossiers to
any agent. Dossiers and exports therefore log into a model of their own (the way
pages log into ``PageLogEntry``), whose manager keeps to the dossiers the user may
view.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager


class DossierLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=str(instance.pk))
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user):
        # The rule is the dossiers' (page rights): imported here, the domain imports the models.
        from ..dossiers.history import viewable_log_entries

        return viewable_log_entries(self.all(), user)


class DossierLogEntry(BaseLogEntry):
    """A log entry of a dossier (``Submission``) or of an export of dossiers (``Export``)."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = DossierLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("entrée de l'historique d'un dossier")
        verbose_name_plural = _("entrées de l'historique des dossiers")
