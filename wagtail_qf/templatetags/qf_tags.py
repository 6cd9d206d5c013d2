from django import template

from .. import design, formatting

register = template.Library()


# The formatting filters: the functions of ``wagtail_qf.formatting``, under the names templates use.
register.filter("qf_date", formatting.date_text)
register.filter("qf_clock", formatting.clock_text, expects_localtime=True)
register.filter("qf_datetime", formatting.moment_text, expects_localtime=True)
register.filter("qf_euros", formatting.grouped_number)


@register.simple_tag(takes_context=True)
def qf_site_name(context, site) -> str:
    """``design.site_name``: the site's name as the citizen pages give it."""
    return design.site_name(site, context.get("request"))


@register.filter
def lowerfirst(value) -> str:
    """« A consulté le dossier » → « a consulté le dossier », after a name."""
    value = str(value)
    return value[:1].lower() + value[1:]
