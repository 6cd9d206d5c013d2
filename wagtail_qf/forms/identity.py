"""The identity form of the path without FranceConnect, shared by the citizen and the agent.

It asks what API Particulier's ``identite`` mode needs (birth name, first names, sex,
birth date, country and commune of birth). The commune of birth is chosen among the
official communes, former ones included (the COG code of a birthplace is the one valid
at the date of birth): without JavaScript, « Rechercher la commune » posts the form back
and ``commune_choices`` gives the matching communes as radio buttons; with JavaScript,
``static/wagtail_qf/communes.js`` turns the input into a combobox fed by ``communes_url()``.

The citizen's form (``journey.identity.BlindTransmissionForm``) and the counter's
(``admin.counter.CounterIdentityForm``) are built on ``IdentityForm``.
"""

import datetime
import unicodedata

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ..communes import countries as country_list
from ..communes import search as communes
from ..communes.countries import FRANCE
from ..franceconnect.identity import IDENTITY_FORM, CitizenIdentity
from ..particulier.types import IdentityQuery

MAX_RESULTS = 10
MAX_QUERY = 100
# The ``action`` of the form's « Rechercher la commune » button (the search without JavaScript).
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


def search_communes(query: str, limit: int = MAX_RESULTS) -> list:
    """The communes (former ones included) matching ``query``, at most ``limit``."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    found = communes.search(query, limit=limit, include_former=True)
    return [c for c in found if c.name]


def communes_url() -> str:
    """The URL of the combobox's JSON search ("" when the site has no ``wagtail_qf.urls``)."""
    try:
        return reverse("wagtail_qf:communes")
    except NoReverseMatch:  # the site did not include wagtail_qf.urls: no JavaScript search
        return ""


def commune_choices(form) -> tuple[list[tuple[str, str]], str]:
    """(communes to offer as radio buttons, code chosen) after a search without JavaScript;
    the commune already chosen stays offered."""
    query = form.data.get("commune_recherche", "") if form.is_bound else ""
    found = search_communes(query)
    chosen = (form.data.get("commune") or "").strip().upper() if form.is_bound else ""
    if chosen and chosen not in {c.code for c in found}:
        commune = communes.get(chosen)
        if commune is not None and commune.name:
            found.insert(0, commune)
    return [(c.code, commune_label(c)) for c in found], chosen


# -- the form --------------------------------------------------------------------
# Other ways of typing an apostrophe or a hyphen (phones' smart punctuation, word processors),
# written as the plain ones: the same name is then the same name for API Particulier and the search.
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u02bc\u00b4\u0060\u2032", "'"),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212\ufe63", "-"),
        **dict.fromkeys(",;", " "),  # first names separated by commas are several first names
    }
)
# Besides letters (of any script), their marks and spaces, what a name holds on a birth certificate.
_NAME_SIGNS = frozenset("'-.")


class NameField(forms.CharField):
    """A name typed by a person, kept as it reads: composed (NFKC: accents typed as two code
    points, as macOS sends them, and full-width letters are the usual ones), without the invisible
    characters some keyboards and copy-pastes add (zero-width spaces, direction marks): made of
    those only, it is empty. Spaces of any kind (non-breaking, tabs, line breaks) are one space,
    apostrophes and hyphens of any kind the plain ones. What no name holds (a control character,
    an emoji, a digit, a symbol) and a name without a letter are refused, saying what to change."""

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if any("\ud800" <= char <= "\udfff" for char in value):  # a lone surrogate: no character
            raise forms.ValidationError(
                _(
                    "Ce champ contient un caractère illisible : effacez le champ et retapez le nom au clavier."
                ),
                code="unreadable",
            )
        value = unicodedata.normalize("NFKC", value)
        value = "".join(c for c in value if unicodedata.category(c) != "Cf").translate(_PUNCTUATION)
        value = " ".join(value.split())
        if not value:
            return value
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise forms.ValidationError(
                _(
                    "Ce champ contient un caractère invisible, venu sans doute d'un copier-coller : "
                    "effacez le champ et retapez le nom au clavier."
                ),
                code="control_character",
            )
        for char in value:
            if char != " " and char not in _NAME_SIGNS and unicodedata.category(char)[0] not in "LM":
                raise forms.ValidationError(
                    _(
                        "Le caractère « %(character)s » n'est pas accepté dans un nom : écrivez-le "
                        "avec des lettres, des espaces, des traits d'union et des apostrophes, comme "
                        "sur l'acte de naissance."
                    ),
                    code="character",
                    params={"character": char},
                )
        if not any(unicodedata.category(char)[0] == "L" for char in value):
            raise forms.ValidationError(
                _("Écrivez ce nom avec au moins une lettre, comme sur l'acte de naissance."),
                code="no_letter",
            )
        return value


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
    """The identity API Particulier's ``identite`` mode needs, checked as the citizen types it."""

    nom_naissance = NameField(
        label=_("Nom de naissance"),
        max_length=100,
        error_messages={"required": _("Indiquez votre nom de naissance.")},
    )
    prenoms = NameField(
        label=_("Prénoms (séparés par des espaces)"),
        max_length=150,
        error_messages={"required": _("Indiquez au moins votre premier prénom.")},
    )
    nom_usage = NameField(label=_("Nom d'usage (facultatif)"), max_length=100, required=False)
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

    def clean_prenoms(self) -> tuple[str, ...]:
        names = self.cleaned_data["prenoms"].split()
        if not names:
            raise forms.ValidationError(_("Indiquez au moins votre premier prénom."), code="required")
        if len(names) > 3:
            raise forms.ValidationError(
                _("Indiquez au plus trois prénoms, dans l'ordre de votre acte de naissance."),
                code="too_many",
            )
        return tuple(names)

    def clean(self) -> dict:
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

    def error_summary(self) -> list[tuple[str, str]]:
        """(field id to link to, message) of each error, in the order of the form."""
        return [
            (self.ANCHORS.get(name, "id_" + name), message)
            for name in self.fields
            for message in self.errors.get(name, ())
        ]


def identity_of(query: IdentityQuery) -> CitizenIdentity:
    """The identity kept in the session and the dossier, from what was typed."""
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
