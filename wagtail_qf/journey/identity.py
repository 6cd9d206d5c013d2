"""The path without FranceConnect: the citizen types their identity.

The form asks what API Particulier's ``identite`` mode needs (birth name, first
names, sex, birth date, country and commune of birth). The commune of birth is
chosen among the official communes, former ones included (the COG code of a
birthplace is the one valid at the date of birth):

- without JavaScript, « Rechercher la commune » posts the form back and the
  matching communes come back as radio buttons;
- with JavaScript, ``static/wagtail_qf/communes.js`` turns the text input into
  an ARIA 1.2 combobox fed by the ``wagtail_qf:communes`` JSON endpoint.

The country of birth (every INSEE country and territory) is a ``<select>`` sorted by
name; with JavaScript the same script makes it a combobox fed by ``wagtail_qf:countries``.

On success the identity (marked ``IDENTITY_FORM``, no id_token) and the result
go in the session exactly as after a FranceConnect login.
"""

import datetime
import logging

from django import forms
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..communes import countries as country_list
from ..communes import search as communes
from ..franceconnect.identity import IDENTITY_FORM, CitizenIdentity
from ..particulier.types import IdentityQuery
from .fetch import fetch_with_identity
from .ratelimit import is_limited
from .session import CitizenSession

logger = logging.getLogger("wagtail_qf.journey")

FRANCE = "99100"
MAX_RESULTS = 10
MAX_QUERY = 100
# Requests per window for the commune search (typing sends one request per pause).
SEARCH_ACTION = "rechercher"
GENDERS = {"F": "female", "M": "male"}


# -- reference data ---------------------------------------------------------------
def countries() -> tuple[tuple[str, str], ...]:
    """(INSEE COG code, name) of every country of birth, France excluded, by French name."""
    return tuple((c.code, c.name) for c in country_list.all_countries())


def commune_label(commune) -> str:
    """« Châtillon-en-Diois (26) », « Saint-X (01) (ancienne commune) »."""
    label = f"{commune.name} ({commune.departement})"
    if commune.is_former:
        label += " " + str(_("(ancienne commune)"))
    return label


def search_communes(query: str, limit: int = MAX_RESULTS):
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    found = communes.search(query, limit=limit, include_former=True)
    return [c for c in found if c.name]


def communes_url() -> str:
    try:
        return reverse("wagtail_qf:communes")
    except NoReverseMatch:  # the site did not include wagtail_qf.urls: no JavaScript search
        return ""


# -- the form ---------------------------------------------------------------------
class IdentityForm(forms.Form):
    nom_naissance = forms.CharField(
        label=_("Nom de naissance"), max_length=100,
        error_messages={"required": _("Indiquez votre nom de naissance.")},
    )  # fmt: skip
    prenoms = forms.CharField(
        label=_("Prénoms (séparés par des espaces)"), max_length=150,
        error_messages={"required": _("Indiquez au moins votre premier prénom.")},
    )  # fmt: skip
    nom_usage = forms.CharField(label=_("Nom d'usage (facultatif)"), max_length=100, required=False)
    sexe = forms.ChoiceField(
        label=_("Sexe"), choices=[("F", _("Femme")), ("M", _("Homme"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez votre sexe tel qu'il figure sur votre acte de naissance.")},
    )  # fmt: skip
    jour = forms.CharField(label=_("Jour"), max_length=2, required=False)
    mois = forms.CharField(label=_("Mois"), max_length=2, required=False)
    annee = forms.CharField(label=_("Année"), max_length=4, required=False)
    lieu = forms.ChoiceField(
        label=_("Pays de naissance"),
        choices=[("france", _("En France")), ("etranger", _("À l'étranger"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez si vous êtes né en France ou à l'étranger.")},
    )  # fmt: skip
    pays = forms.ChoiceField(
        label=_("Pays de naissance"), required=False,
        error_messages={"invalid_choice": _("Choisissez votre pays de naissance dans la liste.")},
    )  # fmt: skip
    commune_recherche = forms.CharField(
        label=_("Commune de naissance"), max_length=MAX_QUERY, required=False
    )
    commune = forms.CharField(max_length=5, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pays"].choices = [("", _("Choisissez un pays"))] + list(countries())
        self.birthdate = None
        self.chosen_commune = None

    def clean_prenoms(self):
        names = self.cleaned_data["prenoms"].split()
        if not names:
            raise forms.ValidationError(_("Indiquez au moins votre premier prénom."), code="required")
        if len(names) > 3:
            raise forms.ValidationError(
                _("Indiquez au plus trois prénoms, dans l'ordre de votre acte de naissance."),
                code="too_many",
            )
        return tuple(names)

    def _clean_date(self):
        raw = [(self.cleaned_data.get(k) or "").strip() for k in ("jour", "mois", "annee")]
        if not all(raw):
            return _("Indiquez votre date de naissance complète : jour, mois et année.")
        if not all(part.isdigit() for part in raw) or len(raw[2]) != 4:
            return _("La date de naissance doit être faite de nombres, par exemple 27 3 1985.")
        try:
            birthdate = datetime.date(int(raw[2]), int(raw[1]), int(raw[0]))
        except ValueError:
            return _("La date de naissance doit être une date réelle, par exemple 27 3 1985.")
        if birthdate > datetime.date.today() or birthdate.year < 1900:
            return _("La date de naissance doit être dans le passé, après 1900.")
        self.birthdate = birthdate
        return None

    def clean(self):
        data = super().clean()
        error = self._clean_date()
        if error:
            self.add_error("jour", forms.ValidationError(error, code="date"))
        if data.get("lieu") == "etranger":
            if not data.get("pays") and "pays" not in self.errors:  # not twice for an unknown code
                self.add_error("pays", forms.ValidationError(
                    _("Choisissez votre pays de naissance."), code="required"))  # fmt: skip
        elif data.get("lieu") == "france":
            code = (data.get("commune") or "").strip()
            commune = communes.get(code) if code else None
            if commune is None:
                message = (
                    _("Choisissez votre commune de naissance dans la liste.")
                    if data.get("commune_recherche")
                    else _("Indiquez votre commune de naissance.")
                )
                self.add_error("commune_recherche", forms.ValidationError(message, code="required"))
            else:
                self.chosen_commune = code.upper()
        return data

    def identity_query(self) -> IdentityQuery:
        data = self.cleaned_data
        abroad = data["lieu"] == "etranger"
        return IdentityQuery(
            nom_naissance=data["nom_naissance"].strip(),
            prenoms=data["prenoms"],
            sexe=data["sexe"],
            code_pays_naissance=data["pays"] if abroad else FRANCE,
            annee_naissance=self.birthdate.year,
            mois_naissance=self.birthdate.month,
            jour_naissance=self.birthdate.day,
            code_commune_naissance="" if abroad else self.chosen_commune,
            nom_usage=data["nom_usage"].strip(),
        )

    def citizen_identity(self) -> CitizenIdentity:
        query = self.identity_query()
        return identity_of(query)

    # Error summary: (field id to link to, message), in the order of the form.
    ANCHORS = {
        "nom_naissance": "id_nom_naissance", "prenoms": "id_prenoms", "nom_usage": "id_nom_usage",
        "sexe": "id_sexe_0", "jour": "id_jour", "lieu": "id_lieu_0", "pays": "id_pays",
        "commune_recherche": "id_commune_recherche",
    }  # fmt: skip

    def error_summary(self):
        return [
            (self.ANCHORS.get(name, "id_" + name), message)
            for name in self.fields
            for message in self.errors.get(name, ())
        ]


def identity_of(query: IdentityQuery) -> CitizenIdentity:
    birthdate = ""
    if query.annee_naissance:
        birthdate = f"{query.annee_naissance:04d}-{query.mois_naissance:02d}-{query.jour_naissance:02d}"
    return CitizenIdentity(
        sub="",
        given_name=" ".join(query.prenoms),
        family_name=query.nom_naissance,
        birthdate=birthdate,
        gender=GENDERS.get(query.sexe, ""),
        birthplace=query.code_commune_naissance,
        birthcountry=query.code_pays_naissance,
        preferred_username=query.nom_usage,
        source=IDENTITY_FORM,
    )


def query_of(identity: CitizenIdentity) -> IdentityQuery:
    """The query again, from the identity kept in the session (for « Réessayer »)."""
    year, month, day = (int(part) for part in identity.birthdate.split("-"))
    sexes = {v: k for k, v in GENDERS.items()}
    return IdentityQuery(
        nom_naissance=identity.family_name,
        prenoms=tuple(identity.given_name.split()),
        sexe=sexes.get(identity.gender, ""),
        code_pays_naissance=identity.birthcountry or FRANCE,
        annee_naissance=year,
        mois_naissance=month,
        jour_naissance=day,
        code_commune_naissance=identity.birthplace,
        nom_usage=identity.preferred_username,
    )


# -- the step ---------------------------------------------------------------------
def _choices_for(form):
    """Communes to offer as radio buttons (no-JS search), the chosen one kept."""
    query = form.data.get("commune_recherche", "") if form.is_bound else ""
    found = search_communes(query)
    chosen = (form.data.get("commune") or "").strip().upper() if form.is_bound else ""
    if chosen and chosen not in {c.code for c in found}:
        commune = communes.get(chosen)
        if commune is not None and commune.name:
            found.insert(0, commune)
    return [(c.code, commune_label(c)) for c in found], chosen


def step(page, request):
    """``sans-franceconnect/``: the identity form (404 when the page does not offer it)."""
    from . import steps

    if not page.allow_identity_form:
        raise Http404
    searching = request.method == "POST" and request.POST.get("action") == SEARCH_ACTION
    form = IdentityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not searching:
        if is_limited(request, "login"):
            return steps._too_many(page, request)
        if form.is_valid():
            citizen = CitizenSession(request)
            citizen.login(form.citizen_identity(), "")
            fetch_with_identity(page, citizen, query_of(citizen.identity))
            logger.info("identity form submitted page=%s", page.pk)
            return HttpResponseRedirect(steps.step_url(page, "step_quotient", request))
        logger.info("identity form invalid page=%s fields=%s", page.pk, sorted(form.errors))
    elif searching and is_limited(request, "communes"):
        return steps._too_many(page, request)
    choices, chosen = _choices_for(form)
    show_errors = form.is_bound and not searching
    response = steps._render(
        page, request, "identity", "start",
        form=form,
        show_errors=show_errors,
        error_summary=form.error_summary() if show_errors else [],
        searching=searching,
        commune_choices=choices,
        chosen_commune=chosen,
        countries=countries(),
        communes_url=communes_url(),
        start_url=steps.step_url(page, "step_start", request),
        status=400 if show_errors else 200,
    )  # fmt: skip
    response.context_data["step_title"] = _("Votre identité")
    return response


# -- the JSON endpoints of the comboboxes ----------------------------------------
@never_cache
@require_GET
def communes_search(request):
    """``GET ?q=`` → ``[{"code": "26086", "label": "Châtillon-en-Diois (26)"}]``, at most 10."""
    if is_limited(request, "communes"):
        response = JsonResponse({"error": "too_many_requests"}, status=429)
    else:
        found = search_communes(request.GET.get("q", ""))
        response = JsonResponse(
            [{"code": c.code, "label": commune_label(c)} for c in found], safe=False
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
def countries_search(request):
    """``GET ?q=`` → ``[{"code": "99312", "label": "Congo (République démocratique) – Zaïre"}]``,
    at most 10; the name found is shown when it is not the country's main name."""
    if is_limited(request, "communes"):  # the same budget as the commune of birth
        response = JsonResponse({"error": "too_many_requests"}, status=429)
    else:
        found = country_list.search((request.GET.get("q") or "").strip()[:MAX_QUERY], limit=MAX_RESULTS)
        response = JsonResponse([
            {"code": c.code, "label": c.name if name == c.name else f"{c.name} – {name}"} for c, name in found
        ], safe=False)  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
