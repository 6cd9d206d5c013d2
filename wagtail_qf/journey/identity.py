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

The citizen also gives an e-mail address and, on pages that collect children, the
children concerned. A valid form makes the dossier at once (``dossiers.creation.save_declaration``)
and leads to a confirmation that is the same whatever API Particulier will say: the call
is made in the background (``journey.lookup``) and what it finds is shown to the
commune's agents only. Nobody can learn a family's data by typing its identity here.
The session keeps only the dossier's reference, as after a transmission.
"""

import datetime
import logging
import secrets

from django import forms
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..communes import countries as country_list
from ..communes import search as communes
from ..dossiers.creation import first_submission_of, save_declaration
from ..franceconnect.identity import IDENTITY_FORM, CitizenIdentity
from ..particulier.types import IdentityQuery
from ..ratelimit import is_limited
from ..tasks import check_identity
from .session import CitizenSession

logger = logging.getLogger("wagtail_qf.journey")

FRANCE = "99100"
MAX_RESULTS = 10
MAX_QUERY = 100
# Requests per window for the commune search (typing sends one request per pause).
SEARCH_ACTION = "rechercher"
GENDERS = {"F": "female", "M": "male"}
# Session key of the forms' one-time tokens, by page id.
FORM_TOKENS = "wagtail_qf_identity_forms"


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


# -- the forms --------------------------------------------------------------------
def parse_date(day, month, year, missing=None) -> tuple[datetime.date | None, str | None]:
    """(date, None), or (None, what is wrong) for a date of birth typed in three fields."""
    raw = [(part or "").strip() for part in (day, month, year)]
    if not all(raw):
        return None, missing or _("Indiquez votre date de naissance complète : jour, mois et année.")
    if not all(part.isdigit() for part in raw) or len(raw[2]) != 4:
        return None, _("La date de naissance doit être faite de nombres, par exemple 27 3 1985.")
    try:
        date = datetime.date(int(raw[2]), int(raw[1]), int(raw[0]))
    except ValueError:
        return None, _("La date de naissance doit être une date réelle, par exemple 27 3 1985.")
    if date > datetime.date.today() or date.year < 1900:
        return None, _("La date de naissance doit être dans le passé, après 1900.")
    return date, None


class IdentityForm(forms.Form):
    nom_naissance = forms.CharField(
        label=_("Nom de naissance"),
        max_length=100,
        error_messages={"required": _("Indiquez votre nom de naissance.")},
    )
    prenoms = forms.CharField(
        label=_("Prénoms (séparés par des espaces)"),
        max_length=150,
        error_messages={"required": _("Indiquez au moins votre premier prénom.")},
    )
    nom_usage = forms.CharField(label=_("Nom d'usage (facultatif)"), max_length=100, required=False)
    sexe = forms.ChoiceField(
        label=_("Sexe"),
        choices=[("F", _("Femme")), ("M", _("Homme"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez votre sexe tel qu'il figure sur votre acte de naissance.")},
    )
    jour = forms.CharField(label=_("Jour"), max_length=2, required=False)
    mois = forms.CharField(label=_("Mois"), max_length=2, required=False)
    annee = forms.CharField(label=_("Année"), max_length=4, required=False)
    lieu = forms.ChoiceField(
        label=_("Pays de naissance"),
        choices=[("france", _("En France")), ("etranger", _("À l'étranger"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez si vous êtes né en France ou à l'étranger.")},
    )
    pays = forms.ChoiceField(
        label=_("Pays de naissance"),
        required=False,
        error_messages={"invalid_choice": _("Choisissez votre pays de naissance dans la liste.")},
    )
    commune_recherche = forms.CharField(label=_("Commune de naissance"), max_length=MAX_QUERY, required=False)
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

    def clean(self):
        data = super().clean()
        self.birthdate, error = parse_date(*(data.get(k) for k in ("jour", "mois", "annee")))
        if error:
            self.add_error("jour", forms.ValidationError(error, code="date"))
        if data.get("lieu") == "etranger":
            if not data.get("pays") and "pays" not in self.errors:  # not twice for an unknown code
                self.add_error(
                    "pays", forms.ValidationError(_("Choisissez votre pays de naissance."), code="required")
                )
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
        "nom_naissance": "id_nom_naissance",
        "prenoms": "id_prenoms",
        "nom_usage": "id_nom_usage",
        "sexe": "id_sexe_0",
        "jour": "id_jour",
        "lieu": "id_lieu_0",
        "pays": "id_pays",
        "commune_recherche": "id_commune_recherche",
    }

    def error_summary(self):
        return [
            (self.ANCHORS.get(name, "id_" + name), message)
            for name in self.fields
            for message in self.errors.get(name, ())
        ]


CHILD_ROWS = 6
CHILD_PARTS = ("prenoms", "jour", "mois", "annee")


class BlindTransmissionForm(IdentityForm):
    """The citizen's form of the path without FranceConnect: the identity, a way to reach
    them and, when the page collects children, the children concerned (``CHILD_ROWS``
    optional rows: no JavaScript needed). What API Particulier finds is never shown back:
    the children declared are matched in the background (``journey.lookup``)."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre adresse électronique : la mairie vous répondra à cette adresse."),
            "invalid": _("Indiquez une adresse électronique valide, par exemple nom@exemple.fr."),
        },
    )
    confirm = forms.BooleanField(
        label=_(
            "Je certifie que ces informations sont exactes et j'accepte que la mairie vérifie "
            "mon quotient familial auprès de la CAF ou de la MSA."
        ),
        error_messages={"required": _("Cochez la case de certification pour envoyer votre demande.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    ANCHORS = {**IdentityForm.ANCHORS, "form_token": "id_nom_naissance"}

    def __init__(self, *args, children=False, expected_token="", **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_token = expected_token
        self.child_count = CHILD_ROWS if children else 0
        for n in range(1, self.child_count + 1):
            self.fields[f"enfant{n}_prenoms"] = forms.CharField(
                label=_("Prénoms de l'enfant"), max_length=150, required=False
            )
            for part, size in (("jour", 2), ("mois", 2), ("annee", 4)):
                self.fields[f"enfant{n}_{part}"] = forms.CharField(max_length=size, required=False)
        self.order_fields([*IdentityForm.base_fields, "email", *self._child_fields(), "confirm"])
        self.declared_children = []

    def _child_fields(self):
        return [f"enfant{n}_{part}" for n in range(1, self.child_count + 1) for part in CHILD_PARTS]

    def date_parts(self, prefix="", autocomplete=True):
        """(bound field, label, hint, size, autocomplete) of a date's three inputs, for the template."""
        year = _("Par exemple : 1985") if autocomplete else _("Par exemple : 2016")
        parts = (
            ("jour", _("Jour"), _("Entre 1 et 31"), 2, "bday-day"),
            ("mois", _("Mois"), _("Entre 1 et 12"), 2, "bday-month"),
            ("annee", _("Année"), year, 4, "bday-year"),
        )
        return [
            (self[prefix + name], label, hint, size, token if autocomplete else "off")
            for name, label, hint, size, token in parts
        ]

    def child_rows(self):
        """The rows of the template: (number, first names, date inputs, day field holding the
        date's errors, id prefix of the date's hint and errors)."""
        return [
            (
                n,
                self[f"enfant{n}_prenoms"],
                self.date_parts(f"enfant{n}_", autocomplete=False),
                self[f"enfant{n}_jour"],
                f"enfant{n}-date",
            )
            for n in range(1, self.child_count + 1)
        ]

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not self.expected_token or token != self.expected_token:
            raise forms.ValidationError(
                _("Ce formulaire a expiré. Vérifiez vos informations, puis envoyez-le de nouveau."),
                code="token",
            )
        return token

    def clean(self):
        data = super().clean()
        self.declared_children = []
        for n in range(1, self.child_count + 1):
            names = " ".join((data.get(f"enfant{n}_prenoms") or "").split())
            date_parts = [data.get(f"enfant{n}_{part}") for part in ("jour", "mois", "annee")]
            if not names and not "".join(part or "" for part in date_parts).strip():
                continue  # a row left empty
            child = _("Enfant %(n)s") % {"n": n}
            if not names:
                self.add_error(
                    f"enfant{n}_prenoms",
                    forms.ValidationError(
                        _("%(child)s : indiquez son prénom.") % {"child": child}, code="required"
                    ),
                )
            birthdate, error = parse_date(
                *date_parts, missing=_("indiquez sa date de naissance complète : jour, mois et année.")
            )
            if error:
                self.add_error(f"enfant{n}_jour", forms.ValidationError(f"{child} : {error}", code="date"))
            elif names:
                self.declared_children.append({"prenoms": names, "date_naissance": birthdate.isoformat()})
        return data


def identity_key(query: IdentityQuery) -> str:
    """A keyed hash (HMAC with ``SECRET_KEY``) of the identity typed, for its rate limit: the
    cache never holds an identity in clear. The spelling is normalised (accents, case, hyphens)
    and only the first first name counts, so that a variant does not make a new identity."""
    from .lookup import name_tokens

    first_names = name_tokens(" ".join(query.prenoms))
    birth = f"{query.annee_naissance}-{query.mois_naissance}-{query.jour_naissance}"
    parts = [
        " ".join(name_tokens(query.nom_naissance)),
        first_names[0] if first_names else "",
        query.sexe,
        birth,
        query.code_commune_naissance or query.code_pays_naissance,
    ]
    return salted_hmac("wagtail_qf.identity", "|".join(parts)).hexdigest()[:32]


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
    """``sans-franceconnect/``: the form (404 when the page does not offer it); a valid one
    makes a dossier at once, checked in the background, and leads to the confirmation."""
    from . import steps

    if not page.allow_identity_form:
        raise Http404
    searching = request.method == "POST" and request.POST.get("action") == SEARCH_ACTION
    sending = request.method == "POST" and not searching
    if searching and is_limited(request, "communes"):
        return steps.too_many(page, request)
    if sending and is_limited(request, "identity"):
        return _too_many(page, request, "address")
    citizen = CitizenSession(request, page)
    expected = _form_token(request, page)
    if sending and request.POST.get("form_token") != expected:
        sent = _already_sent(page, request, citizen)
        if sent is not None:
            return sent
    form = BlindTransmissionForm(
        request.POST if request.method == "POST" else None,
        children=page.collect_children,
        expected_token=expected,
    )
    save_failed = False
    if sending and form.is_valid():
        query = form.identity_query()
        if is_limited(request, "identity_person", key=identity_key(query)):
            return _too_many(page, request, "person")
        if is_limited(request, "identity_page", key=f"page-{page.pk}"):
            return _too_many(page, request, "page")
        response = _declare(page, request, citizen, form)
        if response is not None:
            return response
        save_failed = True
    elif sending:
        logger.info("identity form invalid page=%s fields=%s", page.pk, sorted(form.errors))
    choices, chosen = _choices_for(form)
    show_errors = sending
    return steps.render(
        page,
        request,
        "identity",
        "start",
        citizen=citizen,
        form=form,
        form_token=expected,
        show_errors=show_errors,
        error_summary=form.error_summary() if show_errors else [],
        save_failed=save_failed,
        searching=searching,
        commune_choices=choices,
        chosen_commune=chosen,
        countries=countries(),
        communes_url=communes_url(),
        start_url=steps.step_url(page, "step_start", request),
        status=503 if save_failed else 400 if show_errors else 200,
    )


def _form_token(request, page) -> str:
    """The one-time token of this page's form, kept in the session until a dossier uses it."""
    tokens = request.session.get(FORM_TOKENS) or {}
    if str(page.pk) not in tokens:
        tokens[str(page.pk)] = secrets.token_urlsafe(32)
        request.session[FORM_TOKENS] = tokens
    return tokens[str(page.pk)]


def _already_sent(page, request, citizen):
    """The form sent again (double click, back button, two tabs): its dossier's confirmation."""
    from .steps import step_url

    token = request.POST.get("form_token", "")
    submission = first_submission_of(token) if token else None
    if submission is None or submission.page_id != page.pk or submission.reference != citizen.reference(page):
        return None
    return HttpResponseRedirect(step_url(page, "step_confirmation", request))


def _declare(page, request, citizen, form):
    """Save the dossier and keep only its reference in the session; the redirect to the
    confirmation, or None when the dossier could not be saved."""
    from . import communes as residence
    from .steps import step_url

    token = form.cleaned_data["form_token"]
    identity = form.citizen_identity()
    commune = residence.resident_commune(page, citizen)
    external_id = citizen.external_id(page)
    before = citizen.snapshot()
    # The session's time to live starts now: the reference is kept SESSION_TTL_SECONDS.
    citizen.login(identity, "")
    try:
        # One transaction: the dossier, and the session that keeps only its reference.
        with transaction.atomic():
            submission = save_declaration(
                page,
                identity,
                token,
                email=form.cleaned_data["email"],
                declared_children=form.declared_children,
                commune=commune,
                external_id=external_id,
            )
            # Checked in the background once committed (``journey.lookup``).
            transaction.on_commit(lambda: check_identity.enqueue(submission.pk))
            _keep_reference(request, page, citizen, submission)
    except (DatabaseError, UpdateError):  # IntegrityError included
        citizen.restore(before)
        submission = first_submission_of(token)  # the same form, sent twice at once
        if submission is None:
            logger.exception("dossier could not be saved page=%s", page.pk)
            return None
        citizen.login(identity, "")
        _keep_reference(request, page, citizen, submission)
    logger.info("identity form sent page=%s", page.pk)
    return HttpResponseRedirect(step_url(page, "step_confirmation", request))


def _keep_reference(request, page, citizen, submission):
    citizen.submitted(page, submission.reference)
    tokens = request.session.get(FORM_TOKENS) or {}
    if tokens.pop(str(page.pk), None) is not None:
        request.session[FORM_TOKENS] = tokens
    citizen.save_now()
    # The key changed at ``login``: the middleware must still send the new cookie.
    request.session.modified = True


def _too_many(page, request, limit: str):
    """429 with what to do next: ``limit`` is "address", "person" or "page"."""
    from . import steps

    logger.warning("identity path rate limited page=%s limit=%s", page.pk, limit)
    return steps.render(
        page,
        request,
        "identity_too_many",
        "start",
        limit=limit,
        start_url=steps.step_url(page, "step_start", request),
        status=429,
    )


# -- the JSON endpoints of the comboboxes ----------------------------------------
@never_cache
@require_GET
def communes_search(request):
    """``GET ?q=`` → ``[{"code": "26086", "label": "Châtillon-en-Diois (26)"}]``, at most 10."""
    if is_limited(request, "communes"):
        response = JsonResponse({"error": "too_many_requests"}, status=429)
    else:
        found = search_communes(request.GET.get("q", ""))
        response = JsonResponse([{"code": c.code, "label": commune_label(c)} for c in found], safe=False)
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
        response = JsonResponse(
            [
                {"code": c.code, "label": c.name if name == c.name else f"{c.name} – {name}"}
                for c, name in found
            ],
            safe=False,
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
