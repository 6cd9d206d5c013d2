"""The footer's link to the accessibility statement, worded after the audit's rate."""

from django import template
from django.utils.translation import gettext as _

from ..accessibility import rate, state, statement_url

register = template.Library()


@register.simple_tag
def qf_accessibility_link() -> dict:
    """``{"url", "label"}``: « Accessibilité : partiellement conforme » (url empty without ``wagtail_qf.urls``)."""
    return {"url": statement_url(), "label": _("Accessibilité : %(state)s") % {"state": state(rate())}}
