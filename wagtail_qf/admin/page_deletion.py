"""Deleting a page deletes its families' dossiers with it (their foreign key cascades): Wagtail's
confirmation says how many pages go, not how many dossiers. ``warn`` adds that to the page."""

from django.contrib import messages
from django.utils.translation import gettext, ngettext
from wagtail.models import Page

from ..dossiers import counts


def warn(request, page) -> None:
    """On the confirmation (GET), how many dossiers the page and its sub-pages have received."""
    if request.method != "GET":
        return
    received = sum(counts.per_status(Page.objects.descendant_of(page, inclusive=True).values("pk")).values())
    if received:
        messages.warning(
            request,
            ngettext(
                "Supprimer cette page supprimera aussi, définitivement, %(n)s dossier reçu des familles. "
                "Si la commune doit le conserver, exportez-le d'abord depuis « %(inbox)s ».",
                "Supprimer cette page supprimera aussi, définitivement, %(n)s dossiers reçus des familles. "
                "Si la commune doit les conserver, exportez-les d'abord depuis « %(inbox)s ».",
                received,
            )
            % {"n": received, "inbox": gettext("Quotients familiaux")},  # the inbox's menu label
        )
