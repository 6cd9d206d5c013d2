"""The time limit of the citizen's data (RGAA 13.1): written in the page, announced, extended.

The identity and what was fetched with it live ``SESSION_TTL_SECONDS`` from the login
(``journey.session``). Every step of a FranceConnect journey says until when; a script
(``static/wagtail_qf/timeout.js``) announces the end ``WARNING_SECONDS`` before it. The
citizen may extend it, ``SESSION_TTL_SECONDS`` at a time, while the session is still
valid, and never past ``SESSION_MAX_SECONDS`` after the login: the certified data, and the
summary of the dossier just sent, never outlive that.
"""

import datetime
import functools
import logging
import time
from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.translation import ngettext

from ..conf import qf_settings
from ..formatting import time_of_day
from .base import IdentityRequiredMixin, StepView

logger = logging.getLogger("wagtail_qf.journey")

# The script's spoken warning comes this long before the end (RGAA 13.1: 20 s at least).
WARNING_SECONDS = 120
# The name of the extension buttons. On the quotient step the button belongs to the
# transmission form: the ticks come with it, and the page comes back with them.
EXTEND = "prolonger"
# The steps an extension made without JavaScript goes back to (field ``retour``), told by
# the query parameter EXTENDED.
RETURN_STEPS = ("start", "consent", "quotient", "confirmation", "summary_html")
EXTENDED = "prolongee"


@dataclass(frozen=True)
class TimeLimit:
    expires_at: float  # a Unix time
    extension_seconds: int  # what « Prolonger » adds now: 0 once the cap is reached

    @functools.cached_property  # written twice in the notice
    def until(self) -> str:
        return clock(self.expires_at)

    @property
    def extension_minutes(self) -> int:
        return self.extension_seconds // 60

    @property
    def can_extend(self) -> bool:
        return self.extension_seconds > 0

    @property
    def extend_label(self) -> str:
        return ngettext(
            "Prolonger de %(minutes)d minute", "Prolonger de %(minutes)d minutes", self.extension_minutes
        ) % {"minutes": self.extension_minutes}

    def as_json(self) -> dict:
        """What the script needs to move the limit in place."""
        return {
            "expires_at": self.expires_at,
            "now": time.time(),
            "until": self.until,
            "can_extend": self.can_extend,
            "extend_label": self.extend_label,
        }


def clock(timestamp: float) -> str:
    """« 14 h 32 »: a time of day as French writes it, in the site's time zone."""
    moment = timezone.localtime(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    return time_of_day(moment)


def _valid(citizen, page) -> bool:
    """A FranceConnect login whose time has not run out: its identity as ``page`` offers it,
    or the dossier it has just sent from ``page`` (the key to its summary)."""
    if not citizen.id_token:
        return False
    identity = citizen.identity
    if identity is not None:
        return not identity.from_identity_form
    return bool(citizen.reference(page))


def time_limit(citizen, page) -> TimeLimit | None:
    """The limit the citizen's data lives under, seen from ``page``; None when nothing is kept."""
    if not _valid(citizen, page):
        return None
    cap = citizen.logged_in_at + qf_settings.SESSION_MAX_SECONDS
    room = min(qf_settings.SESSION_TTL_SECONDS, cap - citizen.expires_at)
    return TimeLimit(citizen.expires_at, max(0, int(room) // 60 * 60))


def extend(citizen, page) -> TimeLimit | None:
    """Push the limit ``SESSION_TTL_SECONDS`` further (up to the cap); None if the session is no longer valid.

    ``citizen`` is read afresh from the session: an expired login is forgotten first."""
    limit = time_limit(citizen, page)
    if limit is None or not limit.can_extend:
        return limit
    citizen.extend_to(limit.expires_at + limit.extension_seconds)
    logger.info("citizen session extended page=%s", page.pk)
    return time_limit(citizen, page)


class ExtendView(IdentityRequiredMixin, StepView):
    """« Prolonger » (POST). From the script: the new limit as JSON (410 once the session is
    no longer valid). Without JavaScript: back to the step the citizen was on, or the page
    saying the session expired."""

    http_method_names = ["post"]

    def precondition(self) -> HttpResponse | None:
        return None  # ``extend`` checks the login (the confirmation has no identity left)

    def post(self, request) -> HttpResponse:
        limit = extend(self.citizen, self.page)
        wants_json = "application/json" in request.headers.get("Accept", "")
        if limit is None:
            if wants_json:
                return JsonResponse({"expired": True}, status=410)
            # Nothing is said of a transmission: the citizen may come from the confirmation.
            return self.expired(transmitting=False) or self.redirect("step_start")
        if wants_json:
            return JsonResponse(limit.as_json())
        back = request.POST.get("retour")
        step = back if back in RETURN_STEPS else "start"
        return HttpResponseRedirect(f"{self.url('step_' + step)}?{EXTENDED}=1#delai")
