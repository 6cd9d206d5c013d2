"""Counts per status of the inbox tabs.

Without filters, or filtered by page, they are read from the counters kept per
page and status (``wagtail_qf.counters``): a few rows, whatever the number of
dossiers. Other filters and searches count the dossiers themselves; that takes a
few hundred milliseconds on a million dossiers, so those counts are cached until
the next change of any dossier: every write bumps a version number which every
cached count depends on (writes that bypass the ORM's signals, such as
``update()`` or ``bulk_create()``, call ``bump()``).
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .. import counters
from ..models import Submission
from .permissions import pages_for_user

VERSION_KEY = "wagtail_qf:inbox:version"
# Also bounds how long a change of an agent's page rights takes to show in the counts.
TIMEOUT = 300


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def get(user, params, queryset_factory) -> dict:
    """{status: count} for this user and these filters (a QueryDict, the search included)."""
    active = {key for key in params if any(params.getlist(key))}
    if active <= {"page"} and len(params.getlist("page")) <= 1:
        page = params.get("page", "")
        if not page or page.isdigit():
            return _from_counters(user, int(page) if page else None)
    filters = params.urlencode()
    digest = hashlib.sha256(f"{user.pk}|{filters}".encode()).hexdigest()[:32]
    key = f"wagtail_qf:inbox:counts:{version()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        rows = queryset_factory().values_list("status").annotate(n=Count("pk")).order_by()
        counts = dict(rows)
        cache.set(key, counts, TIMEOUT)
    return counts


def _from_counters(user, page_id):
    pages = None if user.is_superuser else pages_for_user(user).values("pk")
    if page_id is not None:
        pages = [page_id] if pages is None else pages.filter(pk=page_id)
    return counters.per_status(pages)


@receiver(post_save, sender=Submission)
@receiver(post_delete, sender=Submission)
def _changed(**kwargs):
    bump()
