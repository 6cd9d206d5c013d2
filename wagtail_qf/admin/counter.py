"""« Nouveau dossier au guichet »: an agent creates a dossier for a family at the town hall.

Step 1 (``counter``): the QF page (among those the agent may edit) and the family's
identity, with the form of the path without FranceConnect (same validation, same search
of the commune of birth, with or without JavaScript). Step 2 (``counter_result``): API
Particulier ``identite`` is called with the commune's token and its answer shown to the
agent, who is authenticated and has the family in front of them; the children are ticked
with the family, their e-mail may be typed, and « Créer le dossier » saves it, marked
``Source.COUNTER`` with the agent in ``entered_by`` and in its history.

Between the two steps the typed identity and the answer stay in the agent's session
(server side) with a one-time token: a form sent twice creates one dossier. Creating
needs ``add_submission`` and the right to edit the page (``pages_for_user``).
"""

import hashlib
import logging
import secrets
import time
from dataclasses import asdict

from django import forms
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Page

from ..conf import DEFAULTS, qf_settings
from ..dossier_display import month_label, person_line
from ..dossiers import history
from ..dossiers.access import pages_for_user, submissions_for_user
from ..dossiers.creation import first_submission_of, save_submission, shown_only
from ..forms.identity import SEARCH_ACTION, IdentityForm, commune_choices, communes_url, countries
from ..models import Submission
from ..models.communes import ServedCommune
from ..models.pages import qf_page_rows
from ..models.submissions import Source
from ..particulier import errors
from ..particulier.client import get_client
from ..particulier.types import Person, QFResult
from ..ratelimit import is_limited
from ..typed import refuse_nul_characters

logger = logging.getLogger("wagtail_qf.admin")

SESSION_KEY = "wagtail_qf_counter"
RATE_BUCKET = "counter"  # API Particulier searches per agent (WAGTAIL_QF["RATE_LIMITS"])
RETRY = "reessayer"


# -- who may ----------------------------------------------------------------------
def counter_pages(user) -> QuerySet:
    """The QF pages ``user`` may create dossiers for: those they may edit, with ``add_submission``,
    that collect the quotient familial (the counter asks API Particulier for it, nothing else)."""
    permission = f"{Submission._meta.app_label}.{get_permission_codename('add', Submission._meta)}"
    if not user.is_active or not user.has_perm(permission):
        return pages_for_user(user).none()
    with_qf = [pk for pk, row in qf_page_rows("source_qf").items() if row["source_qf"]]
    return pages_for_user(user).filter(pk__in=with_qf).order_by("title", "pk")


def may_create(user) -> bool:
    return counter_pages(user).exists()


def header_button(user) -> HeaderButton | None:
    """The inbox's « Nouveau dossier au guichet », for the agents who may; else None."""
    if not may_create(user):
        return None
    return HeaderButton(
        _("Nouveau dossier au guichet"), url=reverse("wagtail_qf_submissions:counter"), icon_name="plus"
    )


# -- what the agent is told when API Particulier does not give the family --------
# (error, what happened, what to do), first match wins: the citizen's messages speak to the family.
AGENT_ERRORS = (
    (
        errors.NotFound,
        gettext_lazy("La CAF et la MSA ne connaissent pas de dossier d'allocataire à cette identité."),
        gettext_lazy(
            "Vérifiez avec la famille l'identité saisie (nom de naissance, prénoms dans l'ordre de "
            "l'acte de naissance, date et lieu de naissance) et corrigez-la. Si elle est exacte :"
        ),
    ),
    (
        errors.BadIdentity,
        gettext_lazy("API Particulier n'a pas accepté l'identité saisie."),
        gettext_lazy("Vérifiez l'identité saisie et corrigez-la. Si le problème persiste :"),
    ),
    (
        errors.ServiceMisconfigured,
        gettext_lazy("L'accès de la commune à API Particulier est refusé (jeton ou habilitation)."),
        gettext_lazy("Prévenez l'administrateur du site. En attendant :"),
    ),
    (
        errors.ParticulierError,
        gettext_lazy("La CAF ou la MSA n'a pas pu répondre pour le moment."),
        gettext_lazy("Réessayez dans quelques minutes. Si la famille ne peut pas attendre :"),
    ),
)
ATTESTATION = gettext_lazy("demandez-lui son attestation de quotient familial de la CAF ou de la MSA.")


def agent_error(exc: errors.ParticulierError) -> tuple[str, str]:
    """(what happened, what to do) for the agent, the family in front of them."""
    problem, next_step = next((p, n) for cls, p, n in AGENT_ERRORS if isinstance(exc, cls))
    return str(problem), f"{next_step} {ATTESTATION}"


# -- the intermediate state, in the agent's session --------------------------------
class CounterState:
    """The identity typed and API Particulier's answer, between the two steps.

    They are personal data: forgotten once the dossier is created, when the agent starts
    another family, and after ``WAGTAIL_QF["SESSION_TTL_SECONDS"]`` (as a citizen's)."""

    def __init__(self, request):
        self.session = request.session
        self.data = self.session.get(SESSION_KEY) or {}
        if self.data and self.data.get("until", 0) < time.time():
            self.clear()

    def start(self, page, identity_data: dict) -> None:
        self.data = {
            "page": page.pk,
            "identity": identity_data,
            "token": secrets.token_urlsafe(32),
            "until": time.time() + qf_settings.SESSION_TTL_SECONDS,
        }
        self._save()

    def set_result(self, result: QFResult, bracket: str) -> None:
        self.data.update(result=result.to_session(), bracket=bracket)
        self.data.pop("error", None)
        self._save()

    def set_error(self, error: dict) -> None:
        self.data["error"] = error
        self.data.pop("result", None)
        self._save()

    def clear(self) -> None:
        self.data = {}
        self.session.pop(SESSION_KEY, None)

    def _save(self):
        self.session[SESSION_KEY] = self.data

    @property
    def result(self) -> QFResult | None:
        return QFResult.from_session(self.data["result"]) if self.data.get("result") else None


# -- forms ------------------------------------------------------------------------
def served_communes_of(pages) -> dict[int, list[ServedCommune]]:
    """``{page id: its served communes}`` of those of ``pages`` that serve several (two queries)."""
    rows = qf_page_rows("serves_several_communes", pks=[page.pk for page in pages])
    several = [pk for pk, row in rows.items() if row["serves_several_communes"]]
    served = {}
    for commune in ServedCommune.objects.filter(page_id__in=several).order_by("page_id", "sort_order"):
        served.setdefault(commune.page_id, []).append(commune)
    return served


class CounterIdentityForm(IdentityForm):
    """The identity form of the path without FranceConnect, and the page the dossier is for."""

    page = forms.ModelChoiceField(
        label=gettext_lazy("Page du quotient familial"),
        queryset=None,
        error_messages={
            "required": gettext_lazy("Choisissez la page à laquelle le dossier est destiné."),
            "invalid_choice": gettext_lazy("Choisissez une page de la liste."),
        },
    )
    # On a page that serves several communes (an intercommunality's), the family's own: the
    # dossier is that commune's (inbox filter, PDF, HubEE's branch), as on the citizen's page.
    commune_residence = forms.ChoiceField(
        label=gettext_lazy("Commune de résidence de la famille"), required=False, choices=()
    )
    ANCHORS = {**IdentityForm.ANCHORS, "page": "id_page", "commune_residence": "id_commune_residence"}

    def __init__(self, *args, pages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = pages
        self.served = served_communes_of(pages)
        self.fields["commune_residence"].choices = [
            ("", ""),
            *((c.cog, c.label) for communes in self.served.values() for c in communes),
        ]
        self.order_fields(["page", "commune_residence"])

    def clean(self) -> dict:
        data = super().clean()
        page = data.get("page")
        served = self.served.get(page.pk, []) if page is not None else []
        chosen = next((c for c in served if c.cog == data.get("commune_residence")), None)
        if served and chosen is None:
            self.add_error(
                "commune_residence",
                forms.ValidationError(
                    _("Choisissez la commune de résidence de la famille parmi celles que dessert la page."),
                    code="required",
                ),
            )
        self.resident_commune = (chosen.cog, chosen.name) if chosen else None
        return data

    def typed(self) -> dict:
        """What the agent typed, to fill the form again (« Corriger l'identité »)."""
        return {name: self.data.get(name, "") for name in self.fields}


class CounterCreateForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    children = forms.MultipleChoiceField(
        label=gettext_lazy("Enfants concernés"), required=False, widget=forms.CheckboxSelectMultiple
    )
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique de la famille (facultatif)"),
        required=False,
        help_text=gettext_lazy("Pour informer la famille de la suite donnée à sa demande."),
        error_messages={
            "invalid": gettext_lazy(
                "Saisissez une adresse électronique valide, par exemple "
                "nom@exemple.fr, ou laissez le champ vide."
            )
        },
    )

    def __init__(self, *args, children=(), expected_token="", **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_token = expected_token
        self.people = {child.key: child for child in children}
        self.fields["children"].choices = [(child.key, person_line(asdict(child))) for child in children]

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        if not self.expected_token or not secrets.compare_digest(token, self.expected_token):
            raise forms.ValidationError(
                _("Ce formulaire a expiré ou a déjà été envoyé. Recommencez la saisie."), code="token"
            )
        return token

    def selected_children(self) -> list[Person]:
        return [self.people[key] for key in self.cleaned_data.get("children", [])]


# -- views ------------------------------------------------------------------------
class CounterView(WagtailAdminTemplateMixin, View):
    """Refused (403) without ``add_submission`` or a page the agent may edit."""

    header_icon = "form"
    page_title = gettext_lazy("Nouveau dossier au guichet")

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if not may_create(request.user):
            # A plain 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
            return permission_denied(request, PermissionDenied())
        refuse_nul_characters(request)
        self.state = CounterState(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def pages(self) -> QuerySet:
        return counter_pages(self.request.user)

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [
            {"url": reverse("wagtail_qf_submissions:index"), "label": _("Quotients familiaux")},
            {"url": "", "label": self.get_page_title()},
        ]

    def render(self, status=200, **context) -> HttpResponse:
        return self.render_to_response(self.get_context_data(**context), status=status)

    def identity_form(self, data=None) -> CounterIdentityForm:
        return CounterIdentityForm(data, pages=self.pages)

    def too_many(self) -> str:
        limit, window = _limit()
        return _(
            "Vous avez fait plus de %(limit)d recherches en %(minutes)d minutes : patientez un moment "
            "avant de recommencer. En attendant, vous pouvez demander à la famille son attestation "
            "de quotient familial."
        ) % {"limit": limit, "minutes": window // 60}


def _limit():
    return qf_settings.RATE_LIMITS.get(RATE_BUCKET) or DEFAULTS["RATE_LIMITS"][RATE_BUCKET]


def _agent_key(request) -> str:
    return hashlib.sha256(f"agent:{request.user.pk}".encode()).hexdigest()[:32]


def _over_limit(request, page) -> bool:
    """Count one API Particulier search of this agent; True when over their limit."""
    if is_limited(request, RATE_BUCKET, key=_agent_key(request)):
        logger.warning("counter searches over the limit page=%s", page.pk)
        return True
    return False


def _search(page, state, query):
    """Call API Particulier ``identite`` with the commune's token; keep its answer or its error."""
    month = page.qf_month()
    try:
        result = get_client().fetch_with_identity(
            query, recipient=page.siret, year=month.year, month=month.month
        )
    except errors.ParticulierError as exc:
        # A refused token or habilitation is the webmaster's to fix: an error, not a warning.
        level = logging.ERROR if isinstance(exc, errors.ServiceMisconfigured) else logging.WARNING
        logger.log(
            level,
            "counter search failed page=%s error=%s code=%s status=%s",
            page.pk,
            type(exc).__name__,
            exc.code,
            exc.status,
        )
        state.set_error(exc.to_session())
        return
    # What the dossier will keep, as the family's journey does: the agent reads nothing else.
    state.set_result(shown_only(result, page.collected_data()), page.bracket_of(result))


class CounterIdentityView(CounterView):
    """Step 1: the page and the family's identity; on « Rechercher », the call."""

    template_name = "wagtail_qf/admin/counter/identity.html"

    def get(self, request) -> HttpResponse:
        if "corriger" in request.GET and self.state.data.get("identity"):
            return self.show(self.identity_form(self.state.data["identity"]), show_errors=False)
        self.state.clear()  # a new family: nothing of the previous one
        return self.show(self.identity_form())

    def post(self, request) -> HttpResponse:
        form = self.identity_form(request.POST)
        if request.POST.get("action") == SEARCH_ACTION:  # the no-JS commune search
            if is_limited(request, "communes"):
                return self.show(
                    form,
                    show_errors=False,
                    status=429,
                    error=_("Trop de recherches de communes en peu de temps : patientez une minute."),
                )
            return self.show(form, show_errors=False, searching=True)
        if not form.is_valid():
            logger.info("counter identity invalid fields=%s", sorted(form.errors))
            return self.show(form, status=400)
        page = form.cleaned_data["page"].specific
        if _over_limit(request, page):
            return self.show(form, show_errors=False, status=429, error=self.too_many())
        self.state.start(page, form.typed())
        _search(page, self.state, form.identity_query())
        return HttpResponseRedirect(reverse("wagtail_qf_submissions:counter_result"))

    def show(self, form, show_errors=True, searching=False, status=200, error="") -> HttpResponse:
        show_errors = show_errors and form.is_bound
        choices, chosen = commune_choices(form)
        pages = list(self.pages)
        return self.render(
            status=status,
            form=form,
            show_errors=show_errors,
            searching=searching,
            error=error,
            error_summary=form.error_summary() if show_errors else [],
            single_page=pages[0] if len(pages) == 1 else None,
            pages=pages,
            chosen_page=str(form["page"].value() or ""),
            served_pages=[(page, form.served[page.pk]) for page in pages if page.pk in form.served],
            chosen_residence=str(form["commune_residence"].value() or ""),
            commune_choices=choices,
            chosen_commune=chosen,
            countries=countries(),
            communes_url=communes_url(),
        )


class CounterResultView(CounterView):
    """Step 2: API Particulier's answer, or why there is none; the children, the e-mail, the dossier."""

    template_name = "wagtail_qf/admin/counter/result.html"

    def setup_state(self) -> tuple[Page, CounterIdentityForm] | None:
        """The page and the identity of the search under way; None when there is none."""
        data = self.state.data
        page = self.pages.filter(pk=data.get("page")).first() if data.get("identity") else None
        if page is None:
            return None
        form = self.identity_form(data["identity"])
        if not form.is_valid():
            return None
        return page.specific, form

    def get(self, request) -> HttpResponse:
        found = self.setup_state()
        if found is None:
            return self.restart()
        page, identity = found
        return self.show(page, identity, self.create_form(page))

    def post(self, request) -> HttpResponse:
        done = self.already_created(request.POST.get("form_token", ""))
        if done is not None:
            return done
        found = self.setup_state()
        if found is None:
            return self.restart()
        page, identity = found
        if request.POST.get("action") == RETRY:
            if _over_limit(request, page):
                messages.error(request, self.too_many())
            else:
                _search(page, self.state, identity.identity_query())
            return HttpResponseRedirect(request.path)
        form = self.create_form(page, request.POST)
        if self.state.result is None or not form.is_valid():
            return self.show(page, identity, form, status=400)
        submission = self.create(page, identity, form)
        self.state.clear()
        messages.success(request, _("Le dossier %(ref)s a été créé.") % {"ref": submission.reference})
        return HttpResponseRedirect(reverse("wagtail_qf_submissions:inspect", args=[submission.pk]))

    def create_form(self, page, data=None) -> CounterCreateForm:
        result = self.state.result
        children = (result.enfants or ()) if result is not None and page.collect_children else ()
        token = self.state.data.get("token", "")
        return CounterCreateForm(data, children=children, expected_token=token, initial={"form_token": token})

    def create(self, page, identity, form) -> Submission:
        """Save the dossier and its history entry together; a token already used gives its dossier."""
        token = form.cleaned_data["form_token"]
        try:
            with transaction.atomic():
                submission = save_submission(
                    page,
                    identity.citizen_identity(),
                    self.state.result,
                    form.selected_children(),
                    token,
                    bracket=self.state.data.get("bracket"),
                    source=Source.COUNTER,
                    entered_by=self.request.user,
                    email=form.cleaned_data["email"],
                    commune=identity.resident_commune,
                )
                history.record_counter_entry(submission, self.request.user)
        except IntegrityError:  # the same form sent twice at the same time
            submission = first_submission_of(token)
            if submission is None:
                raise
        return submission

    def already_created(self, token) -> HttpResponseRedirect | None:
        """The form was already sent (double click, back button): to the dossier it created."""
        if not token or self.state.data.get("token") == token:
            return None
        submission = submissions_for_user(self.request.user).filter(submission_token=token).first()
        if submission is None:
            return None
        return HttpResponseRedirect(reverse("wagtail_qf_submissions:inspect", args=[submission.pk]))

    def restart(self) -> HttpResponseRedirect:
        messages.info(self.request, _("Aucune recherche en cours : saisissez l'identité de la personne."))
        return HttpResponseRedirect(reverse("wagtail_qf_submissions:counter"))

    def show(self, page, identity, form, status=200) -> HttpResponse:
        result = self.state.result
        context = {
            "qf_page": page,
            "identity": identity.citizen_identity(),
            "form": form,
            "correct_url": reverse("wagtail_qf_submissions:counter") + "?corriger=1",
        }
        if result is None:
            exc = errors.error_from_session(self.state.data.get("error"))
            problem, next_step = agent_error(exc)
            context.update(problem=problem, next_step=next_step, can_retry=exc.citizen_can_retry)
            return self.render(status=status, **context)
        qf = result.quotient_familial
        context.update(
            result=result,
            qf=qf,
            bracket=self.state.data.get("bracket", ""),
            month=month_label(qf.mois, qf.annee) if qf else "",
            allocataires=[person_line(asdict(p)) for p in result.allocataires or ()],
            collects_children="enfants" in page.collected_data(),
        )
        return self.render(status=status, **context)
