"""« Suivre ma demande »: the follow-up page of a QF page (route ``suivi/``, issue 18).

The family sees its dossiers of this page again, without an account, after one of two ways in:

- a new FranceConnect login, asking ``openid`` only (no data fetched): the dossiers whose
  ``follow_up_key`` is the keyed hash of the ``sub`` it gives (``models.follow_up_key``);
- on a page that follows its dossiers up by e-mail, a single-use link sent to the address typed
  (``FollowUpLink``, valid ``FOLLOW_UP["LINK_MAX_AGE_SECONDS"]``): the dossiers of this page with
  that address. The answer is the same whether or not a dossier has it: the form tells no one
  whether an address made a request.

Either way the access is kept in the session for this page only (``session.FollowUpAccess``), as
long as the journey's data would be. Each dossier shows its reference, dates, status and the
agents' messages to the family, never their internal comments, and the documents the family may
see (``dossiers.documents.family_documents``); a dossier « En attente de compléments » has a form
to answer with a message and documents (``dossiers.documents.add_family_documents``). A link opens
the page first and is used by a button (a POST): mail scanners that follow links do not use it up.
"""

import datetime
import logging
import secrets
import smtplib

from django import forms
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from ..conf import qf_settings
from ..design import layout_template
from ..dossiers import conversation, documents
from ..dossiers.messages import email_language, language_of
from ..franceconnect import flow
from ..franceconnect.errors import FranceConnectError
from ..models import (
    DossierDocument,
    FollowUpLink,
    Submission,
    SubmissionStatus,
    follow_up_key,
)
from ..models.follow_up import token_hash
from ..numbers import database_id
from ..ratelimit import is_limited
from .base import StepView
from .navigation import step_url
from .session import FollowUpAccess

logger = logging.getLogger("wagtail_qf.journey.follow_up")

SCOPES = ["openid"]  # the ``sub`` is all the follow-up needs: no identity, no data
LINK_PARAMETER = "lien"
TEMPLATES = "wagtail_qf/emails/{language}/follow_up_link{suffix}"
# A request for the same dossiers' link within this time is the same request sent twice.
SAME_REQUEST = datetime.timedelta(seconds=30)


class LinkRequestForm(forms.Form):
    """« Recevoir un lien par courriel »: the address given with the request."""

    email = forms.EmailField(
        label=_("Adresse électronique donnée avec votre demande"),
        max_length=254,
        error_messages={
            "required": _("Saisissez l'adresse électronique donnée avec votre demande."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr."),
        },
    )


class FollowUpView(StepView):
    """The follow-up page: the two ways in, or, once in, the family's dossiers of this page."""

    def get(self, request) -> HttpResponse:
        if "document" in request.GET:
            return self.download(request.GET["document"])
        token = request.GET.get(LINK_PARAMETER, "")
        if token:  # opened from the e-mail: a button uses it (mail scanners only GET)
            valid = usable_link(self.page, token) is not None
            return self.show(
                link_token=token if valid else "", link_refused=not valid, status=200 if valid else 400
            )
        return self.show()

    def post(self, request) -> HttpResponse:
        action = request.POST.get("action", "")
        if action == "franceconnect":
            return self.franceconnect()
        if action == "lien":
            return self.use_link(request.POST.get(LINK_PARAMETER, ""))
        if action == "courriel" and self.page.follow_up_by_email:
            return self.ask_link()
        if action == "deconnexion":
            return self.logout()
        if action == "complements":
            return self.send_complements()
        return self.show(status=400)

    # -- the ways in -------------------------------------------------------------
    def franceconnect(self) -> HttpResponse:
        if is_limited(self.request, "login"):
            return self.too_many()
        try:
            return flow.start_login(
                self.request, scopes=SCOPES, return_to={"page_id": self.page.pk, "purpose": flow.FOLLOW_UP}
            )
        except FranceConnectError as exc:
            # The journey's error page (``steps`` imports this module's view: imported here).
            from .steps import render_login_error

            logger.warning("franceconnect follow-up login could not start code=%s", exc.code)
            return render_login_error(self.request, exc, self.page, follow_up=True)

    def ask_link(self) -> HttpResponse:
        form = LinkRequestForm(self.request.POST)
        if not form.is_valid():
            logger.info("follow-up link request invalid page=%s", self.page.pk)
            errors = [("id_email", error) for error in form.errors.get("email", ())]
            return self.show(form=form, error_summary=errors, status=400)
        email = form.cleaned_data["email"].strip().lower()
        address_key = salted_hmac("wagtail_qf.follow_up.email", email, algorithm="sha256").hexdigest()[:32]
        if is_limited(self.request, "follow_up") or is_limited(
            self.request, "follow_up_email", key=address_key
        ):
            return self.too_many()
        request_link(self.page, email)
        # The same answer for any address: whether it made a request is never told.
        return self.show(link_sent=True)

    def use_link(self, token: str) -> HttpResponse:
        link = usable_link(self.page, token)
        now = timezone.now()
        # Used once: of two requests with the same link, one only marks it.
        if link is None or not FollowUpLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=now
        ):
            logger.info("follow-up link refused page=%s", self.page.pk)
            return self.show(link_refused=True, status=400)
        FollowUpAccess(self.request, self.page).grant(submissions=link.submissions)
        logger.info("follow-up opened by link page=%s", self.page.pk)
        return self.redirect("step_follow_up")

    def logout(self) -> HttpResponse:
        id_token = FollowUpAccess(self.request, self.page).end()
        done_url = self.url("step_follow_up")
        if not id_token:
            return HttpResponseRedirect(done_url)
        from .steps import LOGOUT_STATES  # FranceConnect's logout comes back through the journey's

        state = secrets.token_urlsafe(32)
        self.request.session[LOGOUT_STATES] = {state: self.page.pk}
        return HttpResponseRedirect(flow.logout_url(self.request, id_token=id_token, state=state) or done_url)

    # -- once in: the complements, the documents -------------------------------------
    def opened(self):
        """The dossiers of this page the session's access opens (none without one)."""
        return opened_dossiers(self.page, FollowUpAccess(self.request, self.page).state)

    def send_complements(self) -> HttpResponse:
        reference = self.request.POST.get("dossier", "")
        dossier = self.opened().filter(reference=reference).first() if reference else None
        message = self.request.POST.get("message", "")
        if dossier is None:  # the access ended, or a dossier it does not open
            logger.info("follow-up complements refused: not opened page=%s", self.page.pk)
            # What was typed is given back to copy: nothing sent is lost.
            return self.show(status=403, access_ended=True, lost_message=message.strip())
        if is_limited(self.request, "transmit"):
            return self.too_many()
        try:
            documents.add_family_documents(dossier, self.request.FILES.getlist("files"), message)
        except documents.DocumentRefused as refused:
            if refused.reason == "not_awaiting" and last_answer_is(dossier, message):
                # Sent twice (double click, back button): the first sending was received.
                return HttpResponseRedirect(self.url("step_follow_up") + "?complements=envoyes")
            anchor = f"complements-{reference}"
            return self.show(
                status=400,
                error_summary=[(anchor, refused.message)],
                complement={"reference": reference, "error": refused.message, "message": message},
            )
        return HttpResponseRedirect(self.url("step_follow_up") + "?complements=envoyes")

    def download(self, document_id: str) -> HttpResponse:
        """A document the family may see, of a dossier the access opens; 404 otherwise."""
        pk = database_id(document_id)
        document = (
            DossierDocument.objects.filter(pk=pk, submission__in=self.opened(), visible_to_family=True)
            .select_related("submission")
            .first()
            if pk is not None
            else None
        )
        if document is None:
            raise Http404
        return documents.file_response(document)

    # -- the page ----------------------------------------------------------------
    def show(self, status: int = 200, **context) -> TemplateResponse:
        page, request = self.page, self.request
        access = FollowUpAccess(request, page).state
        ctx = page.get_context(request)
        ctx.update(
            qf_layout=layout_template(),
            follow_up_url=self.url("step_follow_up"),
            logged_in=access is not None,
            access_until=datetime.datetime.fromtimestamp(access["expires_at"], tz=datetime.UTC)
            if access
            else None,
            with_franceconnect=bool(access and access.get("key")),
            dossiers=dossiers_of(page, access) if access is not None else [],
            by_email=page.follow_up_by_email,
            form=LinkRequestForm(),
            link_token="",
            link_refused=False,
            link_sent=False,
            error_summary=[],
            link_hours=qf_settings.FOLLOW_UP["LINK_MAX_AGE_SECONDS"] // 3600,
            complement={},
            complements_sent=request.GET.get("complements") == "envoyes" and access is not None,
            access_ended=False,
            lost_message="",
        )
        ctx.update(context)
        return TemplateResponse(request, self.template_names("follow_up"), ctx, status=status)


def logged_in(request, page, login) -> HttpResponse:
    """FranceConnect's callback of a follow-up login: the page's dossiers of this ``sub``, for a while."""
    FollowUpAccess(request, page).grant(key=follow_up_key(login.sub), id_token=login.id_token)
    logger.info("follow-up opened with franceconnect page=%s", page.pk)
    return HttpResponseRedirect(step_url(page, "step_follow_up", request))


# -- the dossiers shown ---------------------------------------------------------------
def dossiers_of(page, access: dict) -> list[dict]:
    """The dossiers of ``page`` the access opens, newest first, each with its story for the family:
    the changes of status, the agents' messages and the family's complements (never internal
    comments), and the documents the family may see."""
    dossiers = list(
        opened_dossiers(page, access).order_by("-submitted_at", "-pk").prefetch_related("documents")
    )
    stories = conversation.stories(dossier.pk for dossier in dossiers)
    return [
        {
            "reference": dossier.reference,
            "submitted_at": dossier.submitted_at,
            "status": SubmissionStatus(dossier.status).label
            if dossier.status in SubmissionStatus.values
            else dossier.status,
            "events": stories.get(str(dossier.pk), []),
            "awaiting": dossier.status == SubmissionStatus.AWAITING,
            "documents": [document for document in dossier.documents.all() if document.visible_to_family],
        }
        for dossier in dossiers
    ]


def last_answer_is(dossier, message: str) -> bool:
    """Whether the dossier's latest exchange (changes of status aside) is the family's answer with
    ``message``."""
    events = conversation.stories([dossier.pk]).get(str(dossier.pk), [])
    exchanges = [event for event in events if event["kind"] != "status"]
    return (
        bool(exchanges)
        and exchanges[-1]["kind"] == "complement"
        and exchanges[-1]["message"] == message.strip()
    )


def opened_dossiers(page, access: dict | None):
    """The dossiers of ``page`` an access opens: those of its ``sub``'s hash, or of its link; none
    without one, nor once their retention period is over."""
    dossiers = Submission.objects.filter(page_id=page.pk, anonymised_at__isnull=True)
    if access and access.get("key"):
        return dossiers.filter(follow_up_key=access["key"])
    if access and access.get("submissions"):
        return dossiers.filter(pk__in=access["submissions"])
    return dossiers.none()


# -- the links by e-mail --------------------------------------------------------------
def request_link(page, email: str) -> None:
    """A link to the follow-up of ``page``'s dossiers given with ``email``, e-mailed once the request
    is committed; nothing when there is none (the family is told the same)."""
    dossiers = list(
        Submission.objects.filter(
            page_id=page.pk, email__iexact=email, anonymised_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if not dossiers:
        logger.info("follow-up link not sent: no dossier page=%s", page.pk)
        return
    now = timezone.now()
    # The same request again at once (a double click): the link just sent is the one to use.
    if FollowUpLink.objects.filter(
        page_id=page.pk, submissions=dossiers, used_at__isnull=True, created_at__gt=now - SAME_REQUEST
    ).exists():
        logger.info("follow-up link not sent again page=%s", page.pk)
        return
    max_age = datetime.timedelta(seconds=qf_settings.FOLLOW_UP["LINK_MAX_AGE_SECONDS"])
    link = FollowUpLink.objects.create(page_id=page.pk, submissions=dossiers, expires_at=now + max_age)
    language = translation.get_language() or ""  # the one the person asking reads the page in
    transaction.on_commit(lambda: send_follow_up_link.enqueue(link.pk, language))


def usable_link(page, token: str) -> FollowUpLink | None:
    """The link of ``token`` on ``page``, unused and unexpired, or None (forged, used, expired)."""
    if not token or len(token) > 100:
        return None
    return FollowUpLink.objects.filter(
        page_id=page.pk, token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


@task()
def send_follow_up_link(link_id: int, language: str = "") -> bool:
    """E-mail a link, in ``language`` (the one it was asked in) when its e-mail is written in it:
    its token is made here, only its hash kept, so that neither the task's arguments nor the
    tables hold it. Sent once (a link with a token is never sent again)."""
    token = secrets.token_urlsafe(32)
    if not FollowUpLink.objects.filter(pk=link_id, token_hash="").update(token_hash=token_hash(token)):
        return False
    link = FollowUpLink.objects.select_related("page").get(pk=link_id)
    dossier = (
        Submission.objects.filter(pk__in=link.submissions, anonymised_at__isnull=True)
        .exclude(email="")
        .order_by("-submitted_at")
        .first()
    )
    if dossier is None:
        return False
    page = link.page.specific
    url = page.get_full_url() + page.reverse_subpage("step_follow_up") + f"?{LINK_PARAMETER}={token}"
    try:
        _link_email(page, dossier.email, url, link.expires_at, language).send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("follow-up link not sent page=%s error=%s", page.pk, type(exc).__name__)
        return False
    logger.info("follow-up link sent page=%s", page.pk)
    return True


def _link_email(page, address: str, url: str, expires_at, asked_in: str = "") -> EmailMultiAlternatives:
    """The e-mail of a link, in the language it was asked in, else the page's, else French (the
    first its templates, which a site may override, are written in)."""
    language = email_language(TEMPLATES, asked_in.split("-")[0].lower(), language_of(page))
    context = {
        "url": url,
        "page_title": page.title,
        "commune": getattr(page, "commune_name", "") or page.title,
        "expires_at": timezone.localtime(expires_at),
    }

    def render(suffix) -> str:
        return get_template(TEMPLATES.format(language=language, suffix=suffix)).render(context)

    with translation.override(language):
        email = EmailMultiAlternatives(
            subject=" ".join(render("_subject.txt").split()),
            body=render(".txt"),
            from_email=qf_settings.FAMILY_EMAILS["FROM_EMAIL"] or None,
            to=[address],
            headers={"Auto-Submitted": "auto-generated"},
        )
        email.attach_alternative(render(".html"), "text/html")
    return email
