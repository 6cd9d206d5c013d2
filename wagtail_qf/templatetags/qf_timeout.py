"""The time limit notice of the citizen's steps (``journey.timeout``), shown by every step."""

import functools
import time

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from ..journey.navigation import step_url
from ..journey.timeout import EXTEND, EXTENDED, WARNING_SECONDS, time_limit

register = template.Library()


@functools.lru_cache(maxsize=32)
def script_texts(language: str | None) -> dict:
    """The notice's fixed texts: the script's messages (``timeout.js``; ``{time}`` is the
    script's) and those shown once the time is up. The same on every step: worked out once per
    language rather than by seven translation tags on each page."""
    minutes = WARNING_SECONDS // 60
    texts = {
        "warning": ngettext(
            "Attention : vos données seront effacées à {time}, dans moins de %(minutes)s minute. "
            "Pour continuer votre démarche, prolongez votre session.",
            "Attention : vos données seront effacées à {time}, dans moins de %(minutes)s minutes. "
            "Pour continuer votre démarche, prolongez votre session.",
            minutes,
        )
        % {"minutes": minutes},
        "extended": gettext("Votre session est prolongée jusqu'à {time}."),
        "failed": gettext("La prolongation n'a pas abouti. Réessayez, ou rechargez la page."),
        "no_more": gettext(
            "Cette session ne peut plus être prolongée : pensez à terminer votre démarche avant cette heure."
        ),
        "expired_sent": gettext(
            "Le délai est dépassé : pour protéger vos données, elles ont été effacées de cette session "
            "et le récapitulatif n'est plus disponible. Votre dossier a bien été transmis à la commune."
        ),
        "expired": gettext(
            "Le délai est dépassé : pour protéger vos données, elles ont été effacées de cette session. "
            "Rien n'a été transmis à la commune, et les cases cochées sur cette page ne seront pas "
            "conservées."
        ),
        "restart": gettext("Recommencer ma démarche"),
    }
    # As the translation tags write them: our catalogue's texts, not escaped.
    return {key: mark_safe(text) for key, text in texts.items()}  # noqa: S308 -- no user data


@register.inclusion_tag("wagtail_qf/includes/time_limit.html", takes_context=True)
def qf_time_limit(context, form="") -> dict:
    """The notice, when the citizen's data is kept; ``form``: the id of the form its button sends
    (the quotient step's, so that the ticks come back with the page)."""
    citizen, page, request = context.get("citizen"), context.get("page"), context.get("request")
    limit = time_limit(citizen, page) if citizen is not None and page is not None else None
    if limit is None:
        return {"time_limit": None}
    return {
        "time_limit": limit,
        "now": time.time(),
        "warning_seconds": str(WARNING_SECONDS),  # a number in a template would be localized
        "texts": script_texts(get_language()),
        "extend_url": step_url(page, "step_extend", request),
        "extend_name": EXTEND,
        "start_url": step_url(page, "step_start", request),
        "step": context.get("step", ""),
        "return_to": context.get("time_limit_return") or context.get("step", ""),
        "form": form,
        "extended": bool(context.get("time_limit_extended") or request.GET.get(EXTENDED)),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
