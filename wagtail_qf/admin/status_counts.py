"""Counts per status of the inbox tabs.

Without filters, or filtered by page, they are read from the counters kept per
page and status (``dossiers.counts``): a few rows, whatever the number of
dossiers. Other filters and searches count the dossiers themselves; that takes a
few hundred milliseconds on a million dossiers, so those counts are cached until
the next write of any dossier (``dossiers.counts.version``, renewed by the database).
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count

from ..dossiers import counts
from ..dossiers.access import page_ids_for_user, visible_page_ids
from ..numbers import database_id

TIMEOUT = 300


def get(user, params, queryset_factory) -> dict:
    """{status: count} for this user and these filters (a QueryDict, the search included)."""
    active = {key for key in params if any(params.getlist(key))}
    if active <= {"page"} and len(params.getlist("page")) <= 1:
        page = params.get("page", "")
        if not page:
            return counts.per_status(page_ids_for_user(user))
        # Only a page the filter offers: another id leaves the filter invalid, and the listing
        # unfiltered, which the counting below follows.
        number = database_id(page)
        if number in visible_page_ids(user):
            return counts.per_status([number])
    filters = params.urlencode()
    # The pages the user sees now are part of the key: a change of their rights shows at once.
    pages = page_ids_for_user(user)
    seen = "all" if pages is None else ",".join(map(str, sorted(pages)))
    digest = hashlib.sha256(f"{user.pk}|{seen}|{filters}".encode()).hexdigest()[:32]
    key = f"wagtail_qf:inbox:counts:{counts.version()}:{digest}"
    result = cache.get(key)
    if result is None:
        rows = queryset_factory().values_list("status").annotate(n=Count("pk")).order_by()
        result = dict(rows)
        cache.set(key, result, TIMEOUT)
    return result
