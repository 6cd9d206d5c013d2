"""The inbox table and its columns, written in Python.

Wagtail renders a template for every cell: 400 template renders for a page of
50 dossiers made up half the listing's time. These columns give the same markup
as ``wagtailadmin/tables/cell.html`` without it, and ``InboxTable`` the markup of
``wagtailadmin/tables/table.html`` without a template tag per cell and per row.
"""

from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column, Table


def attrs_html(attrs: dict) -> str:
    """`` name="value"`` for each attribute, as ``wagtailadmin/shared/attrs.html`` writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class InboxTable(Table):
    def render_html(self, parent_context=None) -> SafeString:
        context = self.get_context_data(parent_context or {})
        columns = list(self.columns.values())
        parts = [f"<table{attrs_html(self.attrs)}>"]
        caption = self.get_caption()
        if caption:
            parts.append(format_html('<caption class="w-sr-only">{}</caption>', caption))
        if self.has_column_widths():
            parts += [format_html('<col width="{}" />', c.width) if c.width else "<col />" for c in columns]
        row_class = format_html(' class="{}"', self.header_row_classname) if self.header_row_classname else ""
        parts.append(f"<thead><tr{row_class}>")
        parts += [column.render_header_html(context) for column in columns]
        parts.append("</tr></thead><tbody>")
        for row in self.rows:
            parts.append(f"<tr{attrs_html(row.attrs)}>")
            parts += [column.render_cell_html(row.instance, context) for column in columns]
            parts.append("</tr>")
        parts.append("</tbody></table>")
        return mark_safe("".join(parts))  # noqa: S308 -- every part above is escaped


class PlainColumn(Column):
    """A value of the dossier (an attribute, or a method called), escaped; or the label of its
    value among ``choices``."""

    def __init__(self, name, choices=None, **kwargs):
        super().__init__(name, **kwargs)
        # Translated once (the view makes its columns for one request), not once per row.
        self.choices = {value: str(label) for value, label in choices} if choices else None

    def render_cell_html(self, instance, parent_context) -> SafeString:
        value = getattr(instance, self.accessor)
        if callable(value):
            value = value()
        if self.choices is not None:
            value = self.choices.get(value, value)
        classes = f' class="{conditional_escape(self.classname)}"' if self.classname else ""
        return mark_safe(f"<td{classes}>{'' if value is None else conditional_escape(value)}</td>")  # noqa: S308 -- escaped


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
            self.label_of % {"ref": instance.reference},
        )

    @cached_property
    def label_of(self) -> str:
        """Translated once per table (the columns are the view's, made for one request)."""
        return _("Sélectionner %(ref)s")


class ReferenceColumn(Column):
    """The dossier's reference, linking to its detail (as Wagtail's title cell)."""

    def __init__(self, name, url_name, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name = url_name

    def render_cell_html(self, instance, parent_context) -> SafeString:
        return format_html(
            '<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div></td>',
            self.url_pattern.replace(self.PLACEHOLDER, str(instance.pk)),
            instance.reference,
        )

    PLACEHOLDER = "987654321"

    @cached_property
    def url_pattern(self) -> str:
        """The detail's address with a placeholder for the id: reversed once per table, not per row."""
        return reverse(self.url_name, args=[int(self.PLACEHOLDER)])


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
            dateformat.format(local, self.date_format),
        )

    @cached_property
    def date_format(self) -> str:
        """The language's format, looked up once per table (``formats.date_format`` does it per call)."""
        return formats.get_format("SHORT_DATETIME_FORMAT")
