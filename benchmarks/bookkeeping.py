"""A second yardstick for the submission POST: a ``wagtail.contrib.forms`` POST that also writes
what a transmission writes beside its own row (issue 16, for the owner's decision on the target).

A transmission writes, in one transaction, the dossier, the first line of its history, the funnel's
count of the day and the session that forgets the family's data. The form page of this yardstick
(slug ``formulaire-complet``) does the same around its ``FormSubmission``: a log entry (saved as the
dossiers' entries are, without Wagtail's ``full_clean``), the same ``INSERT … ON CONFLICT`` count,
and the session read then written in the transaction. Only in the benchmarks' settings.
"""

from django.db import transaction
from django.utils import timezone

SLUG = "formulaire-complet"


class BookkeepingFormPost:
    def __init__(self, get_response):
        self.get_response = get_response
        self.page = None  # (id, content type id), read once: a transmission has its page from the routing

    def __call__(self, request):
        if request.method != "POST" or not request.path.rstrip("/").endswith(SLUG):
            return self.get_response(request)
        from wagtail.models import Page, PageLogEntry

        from wagtail_qf.dossiers.statistics import record

        with transaction.atomic():
            response = self.get_response(request)
            if self.page is None:
                self.page = Page.objects.values_list("pk", "content_type_id").get(slug=SLUG)
            page_id, content_type_id = self.page
            entry = PageLogEntry(
                page_id=page_id,
                content_type_id=content_type_id,
                action="wagtail.create",
                label="",
                timestamp=timezone.now(),
            )
            PageLogEntry.objects.bulk_create([entry])
            record(page_id, "bench")
            request.session["bench"] = request.session.get("bench", 0) + 1
            request.session.save()
            request.session.modified = False
        return response
