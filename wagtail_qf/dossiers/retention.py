"""The retention purge: personal data leaves the dossiers once the page's period is over.

A dossier past its page's retention period (``retention_days``, else
``WAGTAIL_QF["DEFAULT_RETENTION_DAYS"]``), or a closed or refused one past
``closed_retention_days``, is anonymised: identity, family, address, QF value
and the raw answer are erased, with the fields a site's own submission class adds
and the internal comments and messages to the family of its history; its documents
go, files included (``documents.erase``). What
stays (page, status, dates, CAF/MSA, QF month) keeps the statistics right.
Run by ``manage.py qf_purge`` or the ``purge_expired_submissions`` task. A dossier
deposited in HubEE is then closed there by the HubEE sync (``hubee.lifecycle``): HubEE
archives it and deletes its files after its process's own delays.
"""

import datetime
import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from ..conf import qf_settings
from ..models import DossierLogEntry, FollowUpLink, Submission, SubmissionStatus
from ..models.pages import qf_page_rows
from . import documents, history

logger = logging.getLogger("wagtail_qf.retention")

ERASED = {
    "family_name": "",
    "given_names": "",
    "usage_name": "",
    "birthdate": None,
    "gender": "",
    "birthplace": "",
    "birthcountry": "",
    "qf_value": None,
    "allocataires": [],
    "children": [],
    "address": None,
    "raw_response": {},
    "eaje_data": None,
    "external_id": "",
    "email": "",
    "email_origin": "",
    "follow_up_key": "",  # the follow-up page no longer finds it after FranceConnect
    "declared_children": [],
    "search_text": "",  # the names, searchable (its reference stays found: ``dossiers.search``)
}
# Tax data become an empty object, not nothing: the statistics' counters (their triggers read
# « tax_data IS NOT NULL ») keep counting the dossier among those with tax data.
TAX_ERASED = Case(
    When(tax_data__isnull=True, then=None),
    default=Value({}, output_field=models.JSONField()),
    output_field=models.JSONField(),
)
CLOSED = [SubmissionStatus.CLOSED, SubmissionStatus.REFUSED]


def expired(now=None) -> QuerySet:
    """Dossiers still holding personal data past their page's retention period."""
    now = now or timezone.now()
    default_days = qf_settings.DEFAULT_RETENTION_DAYS
    condition = Q(pk__in=[])
    for page_id, page in qf_page_rows("retention_days", "closed_retention_days").items():
        days, closed_days = page["retention_days"], page["closed_retention_days"]
        cutoff = now - datetime.timedelta(days=days or default_days)
        condition |= Q(page_id=page_id, submitted_at__lt=cutoff)
        if closed_days:
            closed_cutoff = now - datetime.timedelta(days=closed_days)
            condition |= Q(page_id=page_id, status__in=CLOSED, updated_at__lt=closed_cutoff)
    return Submission.objects.filter(anonymised_at__isnull=True).filter(condition)


def _sites_own_fields() -> list[tuple[type, dict]]:
    """(model, its fields back to their default) of each multi-table submission class of a
    site (a page's ``get_submission_class``): what a site adds to a dossier may name the family."""
    return [
        (model, {f.attname: f.get_default() for f in model._meta.local_concrete_fields if not f.primary_key})
        for model in apps.get_models()
        if issubclass(model, Submission) and model is not Submission and not model._meta.proxy
    ]


def purge(now=None, batch_size=500) -> int:
    """Anonymise every expired dossier; return how many."""
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(Submission)
    total = 0
    while True:
        ids = list(expired(now).values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        with transaction.atomic():
            Submission.objects.filter(pk__in=ids).update(anonymised_at=now, tax_data=TAX_ERASED, **ERASED)
            for model, erased in _sites_own_fields():
                model.objects.filter(pk__in=ids).update(**erased)
            # Comments and status messages may name the family: they go too; the
            # dated trail (who changed which status when) stays.
            entries = DossierLogEntry.objects.filter(
                content_type=content_type, object_id__in=[str(pk) for pk in ids]
            )
            entries.filter(action=history.COMMENT).update(data={})
            # So do the messages e-mailed to the family (their delivery state stays).
            for entry in entries.filter(
                action__in=[history.STATUS, history.MESSAGE], data__has_key="message"
            ):
                entry.data.pop("message", None)
                entry.save(update_fields=["data"])
            documents.erase(ids)  # the files leave the storage, the names the history
        total += len(ids)
    FollowUpLink.objects.filter(expires_at__lt=now).delete()  # the follow-up links past their time
    logger.info("retention purge anonymised=%s", total)
    return total
