"""The limits of documents (``WAGTAIL_QF["DOCUMENTS"]``), for the forms that upload them."""

from django import template

from ..conf import qf_settings

register = template.Library()


@register.simple_tag
def qf_documents_limits() -> dict:
    """``{% qf_documents_limits as limits %}``: ``limits.max_size`` (bytes), ``limits.max_files``."""
    options = qf_settings.DOCUMENTS
    return {"max_size": options["MAX_SIZE"], "max_files": options["MAX_FILES"]}
