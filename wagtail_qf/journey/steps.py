"""The citizen's steps, served by the QF page's routes.

start → FranceConnect login → (callback fetches the QF) → consent → quotient
(children, « Transmettre mes données ») → confirmation → logout; or, without
FranceConnect, start → identity (``journey.identity``) → confirmation.

Each step is a class-based view (``base.StepView``); ``STEP_VIEWS`` names them for the
page (``AbstractQFTransmissionPage.get_step_views``), which a site may override.
"""

import logging
import secrets

from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from ..design import layout_template
from ..dossiers import statistics
from ..dossiers.creation import Transmission, first_submission_of
from ..franceconnect import flow
from ..franceconnect.errors import FranceConnectError
from ..headers import protect
from ..models import Submission
from ..models.submissions import Source
from ..observability import database_error
from ..ratelimit import is_limited
from ..sources import error_from_session
from ..summary import summary_of
from . import communes as residence
from . import deeplink, timeout
from .base import CommuneRequiredMixin, IdentityRequiredMixin, StepView
from .fetch import fetch_family_data
from .follow_up import FollowUpView
from .forms import FollowUpEmailForm, TransmissionForm
from .identity import IdentityView
from .navigation import live_qf_page, step_url
from .session import CitizenSession
from .sources import view_of

logger = logging.getLogger("wagtail_qf.journey")

LOGOUT_STATES = "wagtail_qf_logout_states"


class StartView(StepView):
    """The page itself: what the service does, the login button and, on an intercommunal
    page, the choice of the commune of residence (posted back here)."""

    def get(self, request) -> HttpResponse:
        # ?external_id=…&redirect_uri=… from an editor's portal: a refused link is told to the family.
        deep_link_refused = bool(deeplink.accept(self.page, request))
        # An intercommunal page: the citizen first chooses their commune of residence.
        commune_context, response = residence.start_context(
            self.page, request, self.citizen, too_many=self.too_many
        )
        if response is not None:
            return response
        return self.render(
            "start",
            "start",
            **commune_context,
            login_url=self.url("step_login"),
            consent_url=self.url("step_consent"),
            logged_out=request.GET.get("deconnexion") == "1",
            deep_link_refused=deep_link_refused,
        )

    post = get


class LoginView(CommuneRequiredMixin, StepView):
    """To FranceConnect, with the scopes of the data the page collects."""

    def get(self, request) -> HttpResponse:
        if is_limited(request, "login"):
            return self.too_many()
        # The funnel starts when the citizen asks to log in, not at a view of the page (crawlers,
        # previews, a family reading before it decides): and a page view then writes nothing.
        statistics.record(self.page.pk, statistics.START)
        try:
            return flow.start_login(
                request, scopes=self.page.franceconnect_scopes(), return_to={"page_id": self.page.pk}
            )
        except FranceConnectError as exc:
            logger.warning("franceconnect login could not start code=%s", exc.code)
            statistics.record_failure(self.page.pk, "franceconnect", exc)
            return render_login_error(request, exc, self.page)


class ConsentView(IdentityRequiredMixin, CommuneRequiredMixin, StepView):
    """What API Particulier found, before the citizen chooses what to transmit; on a page that
    follows the dossier up by e-mail, the address the commune will write to (FranceConnect's by
    default), which the citizen may change here (posted back to this step)."""

    def get(self, request) -> HttpResponse:
        page, citizen = self.page, self.citizen
        result = citizen.result(page)
        if citizen.error(page) or result is None:  # nothing to check: straight to the error
            return self.redirect("step_quotient")
        form = None
        if page.follow_up_by_email:
            sent = request.method == "POST"
            form = FollowUpEmailForm(
                request.POST if sent else None, initial={"email": citizen.follow_up_email(page)}
            )
            if sent and form.is_valid():
                citizen.set_follow_up_email(page, form.cleaned_data["email"])
                return self.redirect("step_quotient")
            if sent:
                logger.info("follow-up address invalid page=%s", page.pk)
        return self.render(
            "consent",
            "consent",
            status=400 if form is not None and form.is_bound else 200,
            result=result,
            sources=view_of(page, citizen),
            email_form=form,
            error_summary=[("id_email", error) for error in form.errors.get("email", ())] if form else [],
            next_url=self.url("step_quotient"),
            logout_url=self.url("step_logout"),
        )

    post = get


class QuotientView(IdentityRequiredMixin, CommuneRequiredMixin, StepView):
    """The quotient, the children to tick and « Transmettre mes données » (the page's
    ``get_form_class("quotient")``); a valid form is processed by the page's
    ``process_transmission``. Or why there is no quotient, and the way forward."""

    form_class = TransmissionForm

    def get(self, request) -> HttpResponse:
        page, citizen = self.page, self.citizen
        error = citizen.error(page)
        result = citizen.result(page)
        sources = view_of(page, citizen)  # Pass Famille: tax and crèche data, what is missing
        if error or result is None:
            return self.render(
                "quotient_error",
                "quotient",
                error=error_from_session(error),
                sources=sources,
                portal_url=deeplink.return_url(page, request, deeplink.CANCELLED),
                **self.links(),
            )
        extending = request.method == "POST" and timeout.EXTEND in request.POST
        if extending:  # « Prolonger » without JavaScript: the page comes back with the ticks, unchecked
            timeout.extend(citizen, page)
        form = self.get_form(result, kept=request.POST if extending else None)
        if form.is_bound and is_limited(request, "transmit"):
            return self.too_many()
        # The bracket shown to the citizen is the one transmitted.
        bracket = citizen.bracket(page)
        if bracket is None:
            bracket = page.bracket_of(result, sources.tax)
        save_failed = False
        if form.is_bound and form.is_valid():
            if self.transmit(form, result, bracket, sources):
                return self.redirect("step_confirmation")
            save_failed = True
        elif form.is_bound:
            logger.info("transmission form invalid page=%s fields=%s", page.pk, sorted(form.errors))
        status = 503 if save_failed else 400 if form.is_bound else 200
        return self.render(
            "quotient",
            "quotient",
            status=status,
            result=result,
            sources=sources,
            form=form,
            error_summary=form.error_summary() if form.is_bound else [],
            bracket=bracket,
            save_failed=save_failed,
            time_limit_extended=extending,
            **self.links(),
        )

    post = get

    def links(self) -> dict:
        return {
            "chosen_commune": residence.chosen_commune(self.page, self.citizen),
            "logout_url": self.url("step_logout"),
            "login_url": self.url("step_login"),
            "retry_url": self.url("step_retry"),
            "can_retry_now": bool(self.citizen.access_token),
        }

    def get_form(self, result, kept=None) -> TransmissionForm:
        """The page's form of the step, its choices from API Particulier's answer; ``kept``: the
        data of a form sent to extend the session, shown again as the citizen left it."""
        page, citizen = self.page, self.citizen
        form_class = page.get_form_class("quotient")
        form = form_class(
            self.request.POST if self.request.method == "POST" and kept is None else None,
            children=result.enfants or () if page.collect_children else (),
            expected_token=citizen.form_token(page),
            initial={"form_token": citizen.form_token(page)},
        )
        for name, field in form.fields.items() if kept is not None else ():
            if name != "form_token":
                form.initial[name] = field.widget.value_from_datadict(kept, {}, form.add_prefix(name))
        return form

    def transmit(self, form, result, bracket, sources) -> bool:
        """The dossier made (or found: the same form sent twice) and the session told; False
        when it could not be saved (nothing was transmitted, the citizen keeps their data)."""
        page, citizen = self.page, self.citizen
        before = citizen.snapshot()
        token = form.cleaned_data["form_token"]
        transmission = Transmission(
            page,
            citizen.identity,
            token,
            result=result,
            children=form.selected_children(),
            bracket=bracket,
            commune=residence.resident_commune(page, citizen),
            external_id=citizen.external_id(page),
            email=citizen.follow_up_email(page) if page.follow_up_by_email else "",
            tax=sources.tax,
            eaje=sources.eaje,
            missing_sources=citizen.sources(page).get("missing"),
        )
        try:
            # One transaction: the dossier, and the session that forgets the citizen's data.
            with transaction.atomic():
                submission = page.process_transmission(self.request, form, transmission)
                citizen.submitted(page, submission.reference)
                citizen.save_now()
        except (DatabaseError, UpdateError) as exc:  # IntegrityError included
            citizen.restore(before)
            # The same form sent twice (double click, two tabs, a race): the first dossier is the one.
            submission = first_submission_of(token)
            if submission is None:
                logger.error("dossier could not be saved page=%s error=%s", page.pk, database_error(exc))
                return False
            citizen.submitted(page, submission.reference)
        return True


class RetryView(IdentityRequiredMixin, StepView):
    """« Réessayer » after an upstream error: without a new login while the token lives."""

    http_method_names = ["post"]
    show_expired = False

    def post(self, request) -> HttpResponse:
        if not self.citizen.access_token:
            return self.redirect("step_login")
        if is_limited(request, "login"):
            return self.too_many()
        fetch_family_data(self.page, self.citizen)
        return self.redirect("step_quotient")


class ConfirmationView(StepView):
    """The dossier's reference; the PDF summary and the logout after FranceConnect."""

    def get(self, request) -> HttpResponse:
        page, citizen = self.page, self.citizen
        reference = citizen.reference(page)
        if not reference:
            return self.redirect("step_start")
        portal_url = deeplink.return_url(page, request, deeplink.TRANSMITTED, reference)
        if not citizen.id_token:  # the path without FranceConnect: the same page whatever is found
            return self.render(
                "identity_confirmation",
                "confirmation",
                reference=reference,
                start_url=self.url("step_start"),
                portal_url=portal_url,
            )
        return self.render(
            "confirmation",
            "confirmation",
            reference=reference,
            logout_url=self.url("step_logout"),
            summary_url=self.url("step_summary"),
            summary_html_url=self.url("step_summary_html"),
            portal_url=portal_url,
        )


class SummaryView(StepView):
    """The PDF summary of the dossier just transmitted (this session's only).

    Served while the identity would live: the session forgets the reference with
    it, ``SESSION_TTL_SECONDS`` after the login."""

    def get(self, request) -> HttpResponse:
        submission = self.submission()
        if submission is None:
            return self.redirect("step_start")
        return self.respond(submission)

    def submission(self) -> Submission | None:
        reference = self.citizen.reference(self.page)
        submission = Submission.objects.filter(page_id=self.page.pk, reference=reference).first()
        # Without FranceConnect the citizen never sees what API Particulier found: no summary.
        if not reference or submission is None or submission.source != Source.FRANCECONNECT:
            return None
        return submission

    def respond(self, submission) -> HttpResponse:
        from ..summary_pdf import pdf_response  # reportlab: loaded by the one step that needs it

        return pdf_response(submission)


class SummaryHTMLView(SummaryView):
    """The same summary as an HTML page (RGAA 13.3: the PDF's accessible version), under the same rule."""

    def respond(self, submission) -> HttpResponse:
        return self.render(
            "summary",
            "confirmation",
            summary=summary_of(submission),
            summary_url=self.url("step_summary"),
            confirmation_url=self.url("step_confirmation"),
            logout_url=self.url("step_logout"),
            time_limit_return="summary_html",
        )


class LogoutView(StepView):
    """Local logout first, then FranceConnect's (which may be unreachable)."""

    http_method_names = ["post"]

    def post(self, request) -> HttpResponse:
        id_token = self.citizen.logout()
        done_url = self.url("step_start") + "?deconnexion=1"
        if not id_token:
            return HttpResponseRedirect(done_url)
        state = secrets.token_urlsafe(32)
        request.session[LOGOUT_STATES] = {state: self.page.pk}
        url = flow.logout_url(request, id_token=id_token, state=state)
        return HttpResponseRedirect(url or done_url)


# The page's default view of each step (``AbstractQFTransmissionPage.get_step_views``):
# the names are those of the page's routes, ``step_<name>``.
STEP_VIEWS = {
    "start": StartView,
    "login": LoginView,
    "consent": ConsentView,
    "quotient": QuotientView,
    "retry": RetryView,
    "confirmation": ConfirmationView,
    "summary": SummaryView,
    "summary_html": SummaryHTMLView,
    "extend": timeout.ExtendView,
    "logout": LogoutView,
    "identity": IdentityView,
    "follow_up": FollowUpView,
}


def render_login_error(request, exc: FranceConnectError, page=None, follow_up=False) -> TemplateResponse:
    """The error page of a failed login, with a retry link when the page is known: the follow-up
    page for a login of « Suivre ma demande » (``follow_up``), which asks no data.

    A callback that names no pending login (replayed, or sent from another site)
    says nothing of its page: the way back is then the page the citizen is on."""
    page = page or _page_of_session(request)
    retry = "step_follow_up" if follow_up else "step_login"
    context = {
        "qf_layout": layout_template(),
        "error": exc,
        "page": page,
        "retry_url": step_url(page, retry, request) if page else "",
        "start_url": page.get_url(request) if page else "/",
    }
    status = 503 if exc.code == "provider_unavailable" else 400
    response = TemplateResponse(request, "wagtail_qf/steps/login_error.html", context, status=status)
    return protect(response)


def _page_of_session(request):
    for page_id in CitizenSession(request).page_ids():
        page = live_qf_page(page_id)
        if page is not None:
            return page
    return None
