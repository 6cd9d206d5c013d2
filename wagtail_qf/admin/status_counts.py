"""Counts per status of the inbox, cached until the next change of any dossier.

Counting a million dossiers takes a few hundred milliseconds; agents reload the
same listing far more often than dossiers change. Any write to a dossier bumps
a version number, which every cached count depends on, so a count is never stale after a change of dossiers (writes that bypass the
ORM's signals, such as ``update()`` or ``bulk_create()``, call ``bump()``).
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import Submission

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


def get(user, filters: str, queryset_factory) -> dict:
    """{status: count} for this user and these filters (the search included)."""
    digest = hashlib.sha256(f"{user.pk}|{filters}".encode()).hexdigest()[:32]
    key = f"wagtail_qf:inbox:counts:{version()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        rows = queryset_factory().values_list("status").annotate(n=Count("pk")).order_by()
        counts = dict(rows)
        cache.set(key, counts, TIMEOUT)
    return counts


@receiver(post_save, sender=Submission)
@receiver(post_delete, sender=Submission)
def _changed(**kwargs):
    bump()
