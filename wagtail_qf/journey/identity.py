"""The path without FranceConnect: the citizen types their identity.

The form asks what API Particulier's ``identite`` mode needs (``forms.identity.IdentityForm``,
shared with the agents' counter: birth name, first names, sex, birth date, country and
commune of birth). The commune of birth is chosen among the official communes, former
ones included:

- without JavaScript, « Rechercher la commune » posts the form back and the
  matching communes come back as radio buttons;
- with JavaScript, ``static/wagtail_qf/communes.js`` turns the text input into
  an ARIA 1.2 combobox fed by the ``wagtail_qf:communes`` JSON endpoint.

The country of birth (every INSEE country and territory) is a ``<select>`` sorted by
name; with JavaScript the same script makes it a combobox fed by ``wagtail_qf:countries``.

The citizen also gives an e-mail address and, on pages that collect children, the
children concerned. A valid form makes the dossier at once (the page's ``process_transmission``)
and leads to a confirmation that is the same whatever API Particulier will say: the call
is made in the background (``journey.lookup``) and what it finds is shown to the
commune's agents only. Nobody can learn a family's data by typing its identity here.
The session keeps only the dossier's reference, as after a transmission.
"""

import logging
import secrets

from django import forms
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..communes import countries as country_list
from ..dossiers.creation import Transmission, first_submission_of
from ..forms.identity import (
    MAX_QUERY,
    MAX_RESULTS,
    SEARCH_ACTION,
    IdentityForm,
    NameField,
    commune_choices,
    commune_label,
    communes_url,
    countries,
    parse_date,
    search_communes,
)
from ..observability import database_error
from ..particulier.types import IdentityQuery
from ..ratelimit import is_limited
from ..tasks import check_identity
from . import communes as residence
from .base import CommuneRequiredMixin, StepView

logger = logging.getLogger("wagtail_qf.journey")

# Session key of the forms' one-time tokens, by page id.
FORM_TOKENS = "wagtail_qf_identity_forms"


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
            self.fields[f"enfant{n}_prenoms"] = NameField(
                label=_("Prénoms de l'enfant"), max_length=150, required=False
            )
            for part, size in (("jour", 2), ("mois", 2), ("annee", 4)):
                self.fields[f"enfant{n}_{part}"] = forms.CharField(max_length=size, required=False)
        self.order_fields([*IdentityForm.base_fields, "email", *self._child_fields(), "confirm"])
        self.declared_children = []

    def _child_fields(self):
        return [f"enfant{n}_{part}" for n in range(1, self.child_count + 1) for part in CHILD_PARTS]

    def date_parts(self, prefix="", autocomplete=True) -> list[tuple]:
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

    def child_rows(self) -> list[tuple]:
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

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        if not self.expected_token or token != self.expected_token:
            raise forms.ValidationError(
                _("Ce formulaire a expiré. Vérifiez vos informations, puis envoyez-le de nouveau."),
                code="token",
            )
        return token

    def clean(self) -> dict:
        data = super().clean()
        self.declared_children = []
        for n in range(1, self.child_count + 1):
            child = _("Enfant %(n)s") % {"n": n}
            refused = self.errors.get(f"enfant{n}_prenoms")
            if refused:  # by the name's own field: say which child
                self.errors[f"enfant{n}_prenoms"] = self.error_class([f"{child} : {m}" for m in refused])
            names = " ".join((data.get(f"enfant{n}_prenoms") or "").split())
            date_parts = [data.get(f"enfant{n}_{part}") for part in ("jour", "mois", "annee")]
            if not refused and not names and not "".join(part or "" for part in date_parts).strip():
                continue  # a row left empty
            if not names and not refused:
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


# -- the step ---------------------------------------------------------------------
class IdentityView(CommuneRequiredMixin, StepView):
    """``sans-franceconnect/``: the form (404 when the page does not offer it: the page's
    ``get_form_class("identity")``); a valid one is processed by the page's
    ``process_transmission`` at once, checked in the background, and leads to the confirmation."""

    form_class = BlindTransmissionForm

    def precondition(self) -> HttpResponse | None:
        if not self.page.allow_identity_form:
            raise Http404
        return super().precondition()

    def get(self, request) -> HttpResponse:
        page = self.page
        searching = request.method == "POST" and request.POST.get("action") == SEARCH_ACTION
        sending = request.method == "POST" and not searching
        if searching and is_limited(request, "communes"):
            return self.too_many()
        if sending and is_limited(request, "identity"):
            return self.too_many_identities("address")
        expected = self.form_token()
        if sending and request.POST.get("form_token") != expected:
            sent = self.already_sent()
            if sent is not None:
                return sent
        form = page.get_form_class("identity")(
            request.POST if request.method == "POST" else None,
            children=page.collect_children,
            expected_token=expected,
        )
        save_failed = False
        if sending and form.is_valid():
            query = form.identity_query()
            if is_limited(request, "identity_person", key=identity_key(query)):
                return self.too_many_identities("person")
            if is_limited(request, "identity_page", key=f"page-{page.pk}"):
                return self.too_many_identities("page")
            if self.declare(form):
                return self.redirect("step_confirmation")
            save_failed = True
        elif sending:
            logger.info("identity form invalid page=%s fields=%s", page.pk, sorted(form.errors))
        choices, chosen = commune_choices(form)
        return self.render(
            "identity",
            "start",
            status=503 if save_failed else 400 if sending else 200,
            form=form,
            form_token=expected,
            show_errors=sending,
            error_summary=form.error_summary() if sending else [],
            save_failed=save_failed,
            searching=searching,
            commune_choices=choices,
            chosen_commune=chosen,
            countries=countries(),
            communes_url=communes_url(),
            start_url=self.url("step_start"),
        )

    post = get

    def form_token(self) -> str:
        """The one-time token of this page's form, kept in the session until a dossier uses it."""
        session, key = self.request.session, str(self.page.pk)
        tokens = session.get(FORM_TOKENS) or {}
        if key not in tokens:
            tokens[key] = secrets.token_urlsafe(32)
            session[FORM_TOKENS] = tokens
        return tokens[key]

    def already_sent(self) -> HttpResponse | None:
        """The form sent again (double click, back button, two tabs): its dossier's confirmation."""
        token = self.request.POST.get("form_token", "")
        submission = first_submission_of(token) if token else None
        if (
            submission is None
            or submission.page_id != self.page.pk
            or submission.reference != self.citizen.reference(self.page)
        ):
            return None
        return self.redirect("step_confirmation")

    def declare(self, form) -> bool:
        """Save the dossier and keep only its reference in the session; False when the dossier
        could not be saved."""
        page, citizen = self.page, self.citizen
        token = form.cleaned_data["form_token"]
        identity = form.citizen_identity()
        transmission = Transmission(
            page,
            identity,
            token,
            email=form.cleaned_data["email"],
            declared_children=form.declared_children,
            commune=residence.resident_commune(page, citizen),
            external_id=citizen.external_id(page),
        )
        before = citizen.snapshot()
        # The session's time to live starts now: the reference is kept SESSION_TTL_SECONDS.
        citizen.login(identity, "")
        try:
            # One transaction: the dossier, and the session that keeps only its reference.
            with transaction.atomic():
                submission = page.process_transmission(self.request, form, transmission)
                # Checked in the background once committed (``journey.lookup``).
                transaction.on_commit(lambda: check_identity.enqueue(submission.pk))
                self.keep_reference(submission)
        except (DatabaseError, UpdateError) as exc:  # IntegrityError included
            citizen.restore(before)
            submission = first_submission_of(token)  # the same form, sent twice at once
            if submission is None:
                logger.error("dossier could not be saved page=%s error=%s", page.pk, database_error(exc))
                return False
            citizen.login(identity, "")
            self.keep_reference(submission)
        logger.info("identity form sent page=%s", page.pk)
        return True

    def keep_reference(self, submission) -> None:
        request, citizen = self.request, self.citizen
        citizen.submitted(self.page, submission.reference)
        tokens = request.session.get(FORM_TOKENS) or {}
        if tokens.pop(str(self.page.pk), None) is not None:
            request.session[FORM_TOKENS] = tokens
        citizen.save_now()
        # The key changed at ``login``: the middleware must still send the new cookie.
        request.session.modified = True

    def too_many_identities(self, limit: str) -> HttpResponse:
        """429 with what to do next: ``limit`` is "address", "person" or "page"."""
        logger.warning("identity path rate limited page=%s limit=%s", self.page.pk, limit)
        return self.render(
            "identity_too_many", "start", status=429, limit=limit, start_url=self.url("step_start")
        )


# -- the JSON endpoints of the comboboxes ----------------------------------------
@never_cache
@require_GET
def communes_search(request) -> JsonResponse:
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
def countries_search(request) -> JsonResponse:
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
