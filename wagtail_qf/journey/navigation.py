"""Where the citizen goes: the URL of a step, the stepper, the page of a pending login."""

import functools

import swapper
from django.utils.translation import gettext_lazy as _

from ..models import AbstractQFTransmissionPage

# The stepper: each step's title, in order.
STEPPER = {
    "start": _("Connexion avec FranceConnect"),
    "consent": _("Vérification des données"),
    "quotient": _("Choix des enfants et transmission"),
    "confirmation": _("Confirmation"),
}
# Without FranceConnect the citizen sends a request (identity, e-mail, children) and
# gets its reference: what API Particulier finds is never shown (``journey.identity``).
IDENTITY_STEPPER = {
    "start": _("Votre demande"),
    "confirmation": STEPPER["confirmation"],
}


def step_url(page, name: str, request=None) -> str:
    """The URL of the page's route ``name`` (``step_start``, ``step_quotient``…)."""
    # A step links to several others: resolve the page's URL once per request.
    memo = getattr(request, "_qf_page_url", None)
    if memo is None or memo[0] != page.pk:
        memo = (page.pk, page.get_url(request))
        if request is not None:
            request._qf_page_url = memo
    return memo[1] + _route_path(type(page), name)


@functools.cache
def _route_path(page_class, name: str) -> str:
    """``step_quotient`` → ``quotient/``: the routes are the page class's, the same on every request."""
    return page_class.get_resolver().reverse(name)


def stepper_for(template: str, step: str, citizen) -> dict:
    """The steps of the citizen's path: a login through FranceConnect always leaves an id_token."""
    without_franceconnect = template.startswith("identity") or (step != "start" and not citizen.id_token)
    return IDENTITY_STEPPER if without_franceconnect and step in IDENTITY_STEPPER else STEPPER


def live_qf_page(page_id) -> AbstractQFTransmissionPage | None:
    """The live QF page of ``page_id`` (specific), or None."""
    Page = swapper.load_model("wagtailcore", "Page")
    page = Page.objects.live().filter(pk=page_id).first() if page_id else None
    page = page.specific if page else None
    return page if isinstance(page, AbstractQFTransmissionPage) else None
