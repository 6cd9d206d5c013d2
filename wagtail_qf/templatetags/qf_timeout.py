"""The time limit notice of the citizen's steps (``journey.timeout``), shown by every step."""

import time

from django import template

from ..journey.navigation import step_url
from ..journey.timeout import EXTEND, EXTENDED, WARNING_SECONDS, time_limit

register = template.Library()


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
        "warning_seconds": WARNING_SECONDS,
        "warning_minutes": WARNING_SECONDS // 60,
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
