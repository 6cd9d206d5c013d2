"""The citizen's steps, served by the QF page's routes.

start → FranceConnect login → (callback fetches the QF) → consent → quotient
(children, « Transmettre mes données ») → confirmation → logout.
"""

import logging
import secrets

from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..conf import qf_settings
from ..design import layout_template
from ..dossiers.creation import first_submission_of, save_submission
from ..franceconnect import flow
from ..franceconnect.errors import FranceConnectError
from ..headers import protect
from ..months import explain
from ..ratelimit import is_limited
from . import communes as residence
from . import deeplink
from . import identity as identity_path
from .errors import particulier_error_from_session
from .fetch import fetch_family_data
from .forms import TransmissionForm
from .session import CitizenSession

logger = logging.getLogger("wagtail_qf.journey")

LOGOUT_STATES = "wagtail_qf_logout_states"


def step_url(page, name: str, request=None) -> str:
    # A step links to several others: resolve the page's URL once per request.
    memo = getattr(request, "_qf_page_url", None)
    if memo is None or memo[0] != page.pk:
        memo = (page.pk, page.get_url(request))
        if request is not None:
            request._qf_page_url = memo
    return memo[1] + page.reverse_subpage(name)


# The stepper: each step's title, in order.
STEPPER = {
    "start": _("Connexion avec FranceConnect"),
    "consent": _("Vérification des données"),
    "quotient": _("Choix des enfants et transmission"),
    "confirmation": _("Confirmation"),
}
STEP_ORDER = list(STEPPER)
# Without FranceConnect the citizen sends a request (identity, e-mail, children) and
# gets its reference: what API Particulier finds is never shown (``journey.identity``).
IDENTITY_STEPPER = {
    "start": _("Votre demande"),
    "confirmation": STEPPER["confirmation"],
}


def _stepper(template, step, citizen) -> dict:
    """The steps of the citizen's path: a login through FranceConnect always leaves an id_token."""
    without_franceconnect = template.startswith("identity") or (step != "start" and not citizen.id_token)
    return IDENTITY_STEPPER if without_franceconnect and step in IDENTITY_STEPPER else STEPPER


def render(page, request, template, step, **context):
    month = page.qf_month()
    citizen = context.pop("citizen", None) or CitizenSession(request)
    stepper = _stepper(template, step, citizen)
    order = list(stepper)
    number = order.index(step) + 1
    next_title = stepper[order[number]] if number < len(order) else None
    ctx = page.get_context(request)
    ctx.update(
        qf_layout=layout_template(),
        step=step,
        step_number=number,
        step_count=len(order),
        step_title=stepper[step],
        next_step_title=next_title,
        citizen=citizen,
        recipient=residence.recipient(page, citizen),
        collected=page.collected_data(),
        month=month,
        month_reason=explain(page.month_rule, month),
        step_blocks=page.step_blocks(step),
        without_fc_blocks=page.step_blocks("without_franceconnect"),
        error_blocks=page.step_blocks("error"),
        **context,
    )
    status = ctx.pop("status", 200)
    return TemplateResponse(request, f"wagtail_qf/steps/{template}.html", ctx, status=status)


def start(page, request):
    citizen = CitizenSession(request, page)
    deeplink.accept(page, request)  # ?external_id=…&redirect_uri=… from an editor's portal
    # An intercommunal page: the citizen first chooses their commune of residence.
    commune_context, response = residence.start_context(page, request, citizen)
    if response is not None:
        return response
    return render(
        page,
        request,
        "start",
        "start",
        citizen=citizen,
        **commune_context,
        login_url=step_url(page, "step_login", request),
        consent_url=step_url(page, "step_consent", request),
        logged_out=request.GET.get("deconnexion") == "1",
    )


def too_many(page, request):
    logger.warning("rate limited page=%s", page.pk)
    return render(page, request, "too_many", "start", status=429)


def render_login_error(request, exc: FranceConnectError, page=None):
    """The error page of a failed login, with a retry link when the page is known.

    A callback that names no pending login (replayed, or sent from another site)
    says nothing of its page: the way back is then the page the citizen is on."""
    page = page or _page_of_session(request)
    context = {
        "qf_layout": layout_template(),
        "error": exc,
        "page": page,
        "retry_url": step_url(page, "step_login", request) if page else "",
        "start_url": page.get_url(request) if page else "/",
    }
    status = 503 if exc.code == "provider_unavailable" else 400
    response = TemplateResponse(request, "wagtail_qf/steps/login_error.html", context, status=status)
    return protect(response)


def _page_of_session(request):
    from .views import _qf_page

    for page_id in CitizenSession(request).page_ids():
        page = _qf_page(page_id)
        if page is not None:
            return page
    return None


def login(page, request):
    if residence.needs_choice(page, CitizenSession(request)):
        return residence.required_redirect(page, request)
    if is_limited(request, "login"):
        return too_many(page, request)
    try:
        return flow.start_login(request, scopes=page.franceconnect_scopes(), return_to={"page_id": page.pk})
    except FranceConnectError as exc:
        logger.warning("franceconnect login could not start code=%s", exc.code)
        return render_login_error(request, exc, page)


def _require_identity(page, request):
    """The citizen session, or a redirect to the start if it is missing, expired, or made
    through a path this page does not offer.

    An identity typed on the form (a session of an older version) is no login: the data
    of API Particulier is shown only after FranceConnect."""
    citizen = CitizenSession(request, page)
    if citizen.identity is None or _from_identity_form(citizen):
        return citizen, HttpResponseRedirect(step_url(page, "step_start", request))
    return citizen, None


def _expired(page, request, citizen):
    """The page saying the session expired (instead of a silent return to the start), or None."""
    if not citizen.expired:
        return None
    logger.info("citizen session expired page=%s method=%s", page.pk, request.method)
    return render(
        page,
        request,
        "expired",
        "start",
        citizen=citizen,
        start_url=step_url(page, "step_start", request),
        minutes=qf_settings.SESSION_TTL_SECONDS // 60,
        transmitting=request.method == "POST",
    )


def consent(page, request):
    citizen, redirect = _require_identity(page, request)
    if redirect:
        return _expired(page, request, citizen) or redirect
    if residence.needs_choice(page, citizen):
        return residence.required_redirect(page, request)
    result = citizen.result(page)
    if citizen.error(page) or result is None:  # nothing to check: straight to the error
        return HttpResponseRedirect(step_url(page, "step_quotient", request))
    return render(
        page,
        request,
        "consent",
        "consent",
        citizen=citizen,
        result=result,
        next_url=step_url(page, "step_quotient", request),
        logout_url=step_url(page, "step_logout", request),
    )


def quotient(page, request):
    citizen, redirect = _require_identity(page, request)
    if redirect:
        return _expired(page, request, citizen) or redirect
    if residence.needs_choice(page, citizen):
        return residence.required_redirect(page, request)
    context = {
        "citizen": citizen,
        "chosen_commune": residence.chosen_commune(page, citizen),
        "logout_url": step_url(page, "step_logout", request),
        "login_url": step_url(page, "step_login", request),
        "retry_url": step_url(page, "step_retry", request),
        "can_retry_now": bool(citizen.access_token),
    }
    error = citizen.error(page)
    result = citizen.result(page)
    if error or result is None:
        exc = particulier_error_from_session(error)
        portal_url = deeplink.return_url(page, request, deeplink.CANCELLED)
        return render(
            page, request, "quotient_error", "quotient", error=exc, portal_url=portal_url, **context
        )

    form = TransmissionForm(
        request.POST if request.method == "POST" else None,
        children=result.enfants or () if page.collect_children else (),
        expected_token=citizen.form_token(page),
        initial={"form_token": citizen.form_token(page)},
    )
    if request.method == "POST" and is_limited(request, "transmit"):
        return too_many(page, request)
    # The bracket shown to the citizen is the one transmitted.
    bracket = citizen.bracket(page)
    if bracket is None:
        bracket = page.bracket_of(result)
    if request.method == "POST" and form.is_valid():
        before = citizen.snapshot()
        token = form.cleaned_data["form_token"]
        try:
            # One transaction: the dossier, and the session that forgets the citizen's data.
            with transaction.atomic():
                submission = save_submission(
                    page,
                    citizen.identity,
                    result,
                    form.selected_children(),
                    token,
                    bracket=bracket,
                    commune=residence.resident_commune(page, citizen),
                    external_id=citizen.external_id(page),
                )
                citizen.submitted(page, submission.reference)
                citizen.save_now()
        except (DatabaseError, UpdateError):  # IntegrityError included
            citizen.restore(before)
            # The same form sent twice (double click, two tabs, a race): the first dossier is the one.
            submission = first_submission_of(token)
            if submission is None:
                logger.exception("dossier could not be saved page=%s", page.pk)
                context["save_failed"] = True
            else:
                citizen.submitted(page, submission.reference)
        if not context.get("save_failed"):
            return HttpResponseRedirect(step_url(page, "step_confirmation", request))
    elif request.method == "POST":
        logger.info("transmission form invalid page=%s fields=%s", page.pk, sorted(form.errors))
    return render(
        page,
        request,
        "quotient",
        "quotient",
        result=result,
        form=form,
        bracket=bracket,
        status=_form_status(form, context),
        **context,
    )


def _form_status(form, context) -> int:
    if context.get("save_failed"):
        return 503
    return 400 if form.is_bound else 200


def retry(page, request):
    """« Réessayer » after an upstream error: without a new login while the token lives."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    citizen, redirect = _require_identity(page, request)
    if redirect:
        return redirect
    if not citizen.access_token:
        return HttpResponseRedirect(step_url(page, "step_login", request))
    if is_limited(request, "login"):
        return too_many(page, request)
    fetch_family_data(page, citizen)
    return HttpResponseRedirect(step_url(page, "step_quotient", request))


def confirmation(page, request):
    citizen = CitizenSession(request)
    reference = citizen.reference(page)
    if not reference:
        return HttpResponseRedirect(step_url(page, "step_start", request))
    if not citizen.id_token:  # the path without FranceConnect: the same page whatever is found
        return render(
            page,
            request,
            "identity_confirmation",
            "confirmation",
            citizen=citizen,
            reference=reference,
            start_url=step_url(page, "step_start", request),
            portal_url=deeplink.return_url(page, request, deeplink.TRANSMITTED, reference),
        )
    return render(
        page,
        request,
        "confirmation",
        "confirmation",
        citizen=citizen,
        reference=reference,
        logout_url=step_url(page, "step_logout", request),
        summary_url=step_url(page, "step_summary", request),
        portal_url=deeplink.return_url(page, request, deeplink.TRANSMITTED, reference),
    )


def summary(page, request):
    """The PDF summary of the dossier just transmitted (this session's only).

    Served while the identity would live: the session forgets the reference with
    it, ``SESSION_TTL_SECONDS`` after the login."""
    from ..models import Submission
    from ..models.submissions import Source
    from ..summary_pdf import pdf_response

    reference = CitizenSession(request).reference(page)
    submission = Submission.objects.filter(page_id=page.pk, reference=reference).first()
    # Without FranceConnect the citizen never sees what API Particulier found: no PDF.
    if not reference or submission is None or submission.source != Source.FRANCECONNECT:
        return HttpResponseRedirect(step_url(page, "step_start", request))
    return pdf_response(submission)


def identity(page, request):
    """The path without FranceConnect (when the page offers it): see ``journey.identity``."""
    if page.allow_identity_form and residence.needs_choice(page, CitizenSession(request)):
        return residence.required_redirect(page, request)
    return identity_path.step(page, request)


def _from_identity_form(citizen) -> bool:
    return bool(citizen.identity and citizen.identity.from_identity_form)


def logout(page, request):
    """Local logout first, then FranceConnect's (which may be unreachable)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    id_token = CitizenSession(request).logout()
    done_url = step_url(page, "step_start", request) + "?deconnexion=1"
    if not id_token:
        return HttpResponseRedirect(done_url)
    state = secrets.token_urlsafe(32)
    request.session[LOGOUT_STATES] = {state: page.pk}
    url = flow.logout_url(request, id_token=id_token, state=state)
    return HttpResponseRedirect(url or done_url)
