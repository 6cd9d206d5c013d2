"""Every signal receiver of wagtail-qf, connected in one place by ``register()``
(called from ``WagtailQFConfig.ready``): what reacts to what is read here, not
discovered as a side effect of an import.
"""

from django.core.signals import setting_changed
from django.db.models.signals import m2m_changed, post_delete, post_save


def register() -> None:
    from .api import webhooks
    from .conf import reload_on_setting_changed
    from .dossiers import documents
    from .hubee import tasks as hubee_tasks
    from .models import DossierDocument, EditorToken, ServedCommune
    from .models.communes import refresh_served_flag
    from .models.documents import forget_storage
    from .signals import dossier_event, submission_created, submission_status_changed

    setting_changed.connect(reload_on_setting_changed, dispatch_uid="qf-settings")
    setting_changed.connect(forget_storage, dispatch_uid="qf-documents-storage")

    # A document deleted (its dossier deleted, the retention purge): its file leaves the storage.
    post_delete.connect(documents.file_deleted, sender=DossierDocument, dispatch_uid="qf-document-file")

    # A served commune saved or deleted on its own keeps its page's flag right.
    post_save.connect(refresh_served_flag, sender=ServedCommune, dispatch_uid="qf-served-flag")
    post_delete.connect(refresh_served_flag, sender=ServedCommune, dispatch_uid="qf-served-flag-d")

    # A new dossier: the editors' webhooks, and the HubEE deposit.
    submission_created.connect(webhooks.enqueue_webhooks, dispatch_uid="wagtail_qf.api.webhooks")
    submission_created.connect(hubee_tasks.forward_new_submission, dispatch_uid="wagtail_qf.hubee")
    # The dossier's later events, for the editors' webhooks too (the family is told by the domain
    # itself: ``dossiers.history.change_status``).
    submission_status_changed.connect(webhooks.status_changed, dispatch_uid="wagtail_qf.api.webhooks.status")
    dossier_event.connect(webhooks.dossier_event, dispatch_uid="wagtail_qf.api.webhooks.event")

    # Whether any token has a webhook is cached: forgotten when a token changes.
    for signal in (post_save, post_delete):
        signal.connect(webhooks.forget_any_webhook, sender=EditorToken, dispatch_uid=f"qf-webhooks-{signal}")
    m2m_changed.connect(
        webhooks.forget_any_webhook, sender=EditorToken.pages.through, dispatch_uid="qf-webhooks-pages"
    )
