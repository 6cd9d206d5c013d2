"""Columns of the inbox table whose cells are written in Python.

Wagtail renders a template for every cell: 400 template renders for a page of
50 dossiers made up half the listing's time. These columns give the same markup
as ``wagtailadmin/tables/cell.html`` without it.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column


class PlainColumn(Column):
    def render_cell_html(self, instance, parent_context) -> SafeString:
        value = self.get_cell_context_data(instance, parent_context)["value"]
        classes = format_html(' class="{}"', self.classname) if self.classname else ""
        return format_html("<td{}>{}</td>", classes, "" if value is None else value)


class BulkCheckboxColumn(Column):
    """The checkboxes that select dossiers for the bulk actions (``BulkActionView``): one per
    dossier, and in the header one for the whole page, whose value is the page's ids (so it
    works without JavaScript; with it, ``inbox.js`` ticks the rows too)."""

    def __init__(self, name, **kwargs):
        super().__init__(name, label="", **kwargs)

    def render_header_html(self, parent_context) -> SafeString:
        ids = ",".join(str(instance.pk) for instance in parent_context["table"].data)
        return format_html(
            '<th><input type="checkbox" name="page_ids" value="{}" form="qf-bulk-form"'
            ' class="qf-bulk-select" data-qf-select-page aria-label="{}"></th>',
            ids,
            _("Sélectionner tous les dossiers de cette page"),
        )

    def render_cell_html(self, instance, parent_context) -> SafeString:
        return format_html(
            '<td><input type="checkbox" name="ids" value="{}" form="qf-bulk-form" class="qf-bulk-select"'
            ' aria-label="{}"></td>',
            instance.pk,
            _("Sélectionner %(ref)s") % {"ref": instance.reference},
        )


class ReferenceColumn(Column):
    """The dossier's reference, linking to its detail (as Wagtail's title cell)."""

    def __init__(self, name, url_name, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name = url_name

    def render_cell_html(self, instance, parent_context) -> SafeString:
        return format_html(
            '<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div></td>',
            reverse(self.url_name, args=[instance.pk]),
            instance.reference,
        )


class DateTimeColumn(Column):
    """Date and time in the site's time zone and format, e.g. « 23/11/2026 18:05 »."""

    def render_cell_html(self, instance, parent_context) -> SafeString:
        value = self.get_value(instance)
        if value is None:
            return format_html("<td></td>")
        local = timezone.localtime(value)
        return format_html(
            '<td><time datetime="{}">{}</time></td>',
            local.isoformat(),
            formats.date_format(local, "SHORT_DATETIME_FORMAT"),
        )
