"""Which layout the citizen pages extend: the DSFR one, or wagtail-qf's standalone one."""

from django.apps import apps

from .conf import qf_settings

LAYOUTS = {"dsfr": "wagtail_qf/dsfr/layout.html", "standalone": "wagtail_qf/layout.html"}


def design() -> str:
    choice = qf_settings.DESIGN
    if choice == "auto":
        return "dsfr" if apps.is_installed("dsfr") else "standalone"
    return choice


def layout_template() -> str:
    return LAYOUTS[design()]
