"""Which layout the citizen pages extend: the site's own, the DSFR one, or wagtail-qf's standalone one.

Every citizen template fills the blocks ``qf_title`` (inside ``<title>``), ``qf_head`` (inside
``<head>``) and ``qf_content`` (inside ``<main>``): names of their own, so that a site's base
template, whose ``title`` or ``content`` mean something else, can host them through an adapter
(``wagtail_qf/hosts/``; contract in the README, "Host layout").
"""

from django.apps import apps
from django.conf import settings

from .conf import qf_settings

LAYOUTS = {"dsfr": "wagtail_qf/dsfr/layout.html", "standalone": "wagtail_qf/layout.html"}

# Site builders whose base template wagtail-qf adapts to on its own, by installed app (in the DSFR design).
HOST_ADAPTERS = {"sites_conformes.core": "wagtail_qf/hosts/sites_conformes.html"}


def design() -> str:
    choice = qf_settings.DESIGN
    if choice == "auto":
        return "dsfr" if apps.is_installed("dsfr") else "standalone"
    return choice


def layout_template() -> str:
    """``BASE_TEMPLATE`` when set; else a known site builder's adapter; else the design's layout."""
    if qf_settings.BASE_TEMPLATE:
        return qf_settings.BASE_TEMPLATE
    chosen = design()
    if chosen == "dsfr":
        for app, adapter in HOST_ADAPTERS.items():
            if apps.is_installed(app):
                return adapter
    return LAYOUTS[chosen]


def layout_context(request) -> dict:
    """Context processor: ``qf_layout`` for the site's own pages that wear the citizen pages' layout."""
    return {"qf_layout": layout_template()}


def site_name(site, request) -> str:
    """The name the citizen pages give the site: its Wagtail name, else ``WAGTAIL_SITE_NAME``
    (``wagtail start`` names no site), else its host; never the package's."""
    return (
        getattr(site, "site_name", "")
        or getattr(settings, "WAGTAIL_SITE_NAME", "")
        or (request.get_host() if request is not None else "")
    )
