"""Global views of the journey: FranceConnect's callback and post-logout return.

FranceConnect needs fixed, registered redirect URIs, so these live at the
site's ``include("wagtail_qf.urls")`` rather than under each page; the page to
go back to travels with the OIDC ``state``.
"""

import logging

from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache

from ..dossiers import statistics
from ..franceconnect import flow
from ..franceconnect.errors import FranceConnectError
from . import follow_up
from .fetch import fetch_family_data
from .navigation import live_qf_page, step_url
from .session import CitizenSession
from .steps import LOGOUT_STATES, render_login_error

logger = logging.getLogger("wagtail_qf.journey")

# Failed logins that are no failure of FranceConnect: cancelled by the citizen, replayed, page gone.
NOT_UPSTREAM = frozenset({"access_denied", "state", "page"})


def login_error(request, exc: FranceConnectError) -> HttpResponse:
    """The error page of a failed login, back to the page it was made for when known."""
    return_to = exc.return_to or {}
    page = live_qf_page(return_to.get("page_id"))
    if page is not None and exc.code not in NOT_UPSTREAM:
        statistics.record_failure(page.pk, "franceconnect", exc)
    return render_login_error(request, exc, page, follow_up=return_to.get("purpose") == flow.FOLLOW_UP)


@never_cache
def franceconnect_callback(request) -> HttpResponse:
    """FranceConnect's return: the citizen's identity kept, their family data fetched, to the consent."""
    try:
        login = flow.finish_login(request)
    except FranceConnectError as exc:
        # Only the pending login named by ``state`` is dropped (by ``finish_login``): a
        # replayed or cross-site callback must not log out a citizen mid-journey.
        logger.warning("franceconnect login failed code=%s", exc.code)
        return login_error(request, exc)
    page = live_qf_page(login.return_to.get("page_id"))
    if page is None:  # unpublished between the login and the callback
        return login_error(request, FranceConnectError("page"))
    if login.return_to.get("purpose") == flow.FOLLOW_UP:  # « Suivre ma demande »: no data fetched
        return follow_up.logged_in(request, page, login)
    citizen = CitizenSession(request, page)
    citizen.login(login.identity, login.id_token)
    statistics.record(page.pk, statistics.LOGGED_IN)
    citizen.keep_access_token(login.access_token)
    fetch_family_data(page, citizen)
    return HttpResponseRedirect(step_url(page, "step_consent", request))


@never_cache
def franceconnect_logout_callback(request) -> HttpResponse:
    """FranceConnect's return after its logout: back to the page's start."""
    states = request.session.pop(LOGOUT_STATES, {})
    page = live_qf_page(states.get(request.GET.get("state", "")))
    if page is None:
        return HttpResponseRedirect("/")
    return HttpResponseRedirect(step_url(page, "step_start", request) + "?deconnexion=1")
