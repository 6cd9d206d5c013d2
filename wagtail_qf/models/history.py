"""The dossiers' own log entries.

Wagtail's reports (site history, its filters and exports) read each registered log
model's ``viewable_by_user``. Wagtail's generic ``ModelLogEntry`` shows a model's
entries to anyone holding a permission on the model: every commune's dossiers to
any agent. Dossiers and exports therefore log into a model of their own (the way
pages log into ``PageLogEntry``), whose manager keeps to the dossiers the user may
view. That rule (page rights) is the dossier domain's, above the models: the domain
hands it over when it registers this log model with Wagtail (``dossiers.history.register``,
which Wagtail runs before any report lists its log models); until then nothing is visible.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager

# The relations of an entry ``save`` does not look up (see there).
UNCHECKED_RELATIONS = ("content_type", "user", "revision")


def logged_model(model: type[models.Model]) -> type[models.Model]:
    """The model an instance's entries are kept under: the first of its line (a site's own
    submission class, multi-table or proxy, logs as ``Submission``), where the dossier's
    detail, the agents' rights and the purge look for them."""
    concrete = model._meta.concrete_model
    parents = concrete._meta.get_parent_list()
    return parents[-1] if parents else concrete


class DossierLogEntryManager(BaseLogEntryManager):
    _visible: Callable[[models.QuerySet, object], models.QuerySet] | None = None

    @classmethod
    def use_visibility_rule(cls, rule: Callable[[models.QuerySet, object], models.QuerySet]) -> None:
        """``rule(entries, user)``: those of ``entries`` that ``user`` may see."""
        cls._visible = staticmethod(rule)

    def log_action(self, instance, action, **kwargs) -> "DossierLogEntry":
        kwargs.update(object_id=str(instance.pk))
        logged = logged_model(type(instance))
        if type(instance) is not logged:  # a site's own submission class: logged as a dossier
            kwargs.setdefault("title", self.get_instance_title(instance))
            instance = logged(pk=instance.pk)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance) -> models.QuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(logged_model(type(instance))),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user) -> models.QuerySet:
        if self._visible is None:
            return self.none()  # closed until the domain gives its rule
        return self._visible(self.all(), user)


class DossierLogEntry(BaseLogEntry):
    """A log entry of a dossier (``Submission``), an export of dossiers (``Export``) or an editor's token."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = DossierLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("entrée de l'historique d'un dossier")
        verbose_name_plural = _("entrées de l'historique des dossiers")

    def save(self, *args, **kwargs) -> None:
        """Wagtail validates each entry before saving it (``full_clean``), which checks each
        relation with a query of its own (content type, user, revision): one more query on
        every transmission, status change and view. The relations come from the code that
        logs (the content type from its cache, the user from the request), never from a form:
        the fields and the action (Wagtail's ``clean``) are still checked."""
        self.full_clean(exclude=UNCHECKED_RELATIONS)
        super(BaseLogEntry, self).save(*args, **kwargs)  # Wagtail's own save would check them again
