"""The *Transmission du quotient familial* page.

Wagtail 8 reusable-app rules: the fields and behaviour live in an abstract
mixin; the concrete page subclasses whatever page model the site uses as its
base (``WAGTAIL_PAGE_MODEL``, loaded through ``swapper``).
"""

from typing import TYPE_CHECKING

import swapper
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField

from ..blocks import StepBlocks, blocks_for_step
from ..conf import qf_settings
from ..months import MonthRule, QFMonth, resolve_month
from ..page_panel import QFInlinePanel, SharePanel, SubmissionsCountPanel
from ..sources import EAJE_KEY, TAX_FIELDS, BracketBasis, DataSource, IncomeYearRule, rfr_per_part
from ..url_policy import https_parts
from ..validators import check_commune, validate_cog, validate_postcode, validate_siret
from .submissions import Submission

if TYPE_CHECKING:
    from ..dgfip.years import YearChoice

swapper.set_app_prefix("wagtailcore", "wagtail")
Page = swapper.load_model("wagtailcore", "Page", require_ready=False)

MONTH_CHOICES = [
    (1, _("janvier")),
    (2, _("février")),
    (3, _("mars")),
    (4, _("avril")),
    (5, _("mai")),
    (6, _("juin")),
    (7, _("juillet")),
    (8, _("août")),
    (9, _("septembre")),
    (10, _("octobre")),
    (11, _("novembre")),
    (12, _("décembre")),
]


def validate_opinion_url(url: str) -> None:
    """The « Je donne mon avis » link follows the project's URL policy (``url_policy``)."""
    if https_parts(url) is None:
        raise ValidationError(
            _(
                "Saisissez l'adresse complète, commençant par https://, que Services Publics+ donne "
                "pour votre démarche."
            )
        )


_PageManager = type(Page._default_manager)  # the site's page model's, swappable


class QFPageQuerySet(_PageManager._queryset_class):
    def only(self, *fields) -> "QFPageQuerySet":
        """A few columns asked for (treebeard deletes a page with ``only("path", "depth",
        "numchild")``): the locale is then not loaded with them, rather than refused by Django."""
        clone = super().only(*fields)
        if "locale" not in fields and clone.query.select_related == {"locale": {}}:
            clone.query.select_related = False
        return clone


class QFPageManager(_PageManager.from_queryset(QFPageQuerySet)):
    """The page's rows come with their locale: every step writes the page's language (``lang``
    when the visitor reads another one), and Wagtail's routing loads the page through this
    manager (``Page.specific``): one query less on each step."""

    def get_queryset(self) -> QFPageQuerySet:
        return super().get_queryset().select_related("locale")


def _step(pattern: str, name: str):
    """The page's route ``step_<name>``, served by the view ``get_step_views()[name]``."""

    def view(page, request) -> HttpResponseBase:
        return page.get_step_views()[name].as_view(page=page)(request)

    view.__name__ = f"step_{name}"
    return path(pattern, name=f"step_{name}")(view)


class AbstractQFTransmissionPage(RoutablePageMixin, models.Model):
    """Fields and steps of a QF transmission page, to mix into a concrete page."""

    commune_name = models.CharField(
        _("nom de la commune"),
        max_length=120,
        blank=True,
        help_text=_("Vide : le nom officiel de la commune. Sur un site intercommunal, le nom de l'EPCI."),
    )
    commune_cog = models.CharField(
        _("code INSEE (COG)"),
        max_length=5,
        validators=[validate_cog],
        help_text=_(
            "Code officiel géographique de la commune, par exemple 35051 (ce n'est pas le code postal)."
        ),
    )
    commune_postcode = models.CharField(
        _("code postal"),
        max_length=5,
        blank=True,
        validators=[validate_postcode],
        help_text=_("Vide : le code postal principal de la commune."),
    )
    siret = models.CharField(
        _("SIRET de la commune"),
        max_length=14,
        validators=[validate_siret],
        help_text=_("Envoyé à API Particulier comme destinataire (recipient) des données."),
    )
    month_rule = models.CharField(
        _("mois du quotient familial"),
        max_length=10,
        choices=MonthRule.choices,
        default=MonthRule.CURRENT,
    )
    fixed_month = models.PositiveSmallIntegerField(
        _("mois fixe"),
        choices=MONTH_CHOICES,
        null=True,
        blank=True,
        help_text=_("Utilisé seulement avec la règle « mois fixe »."),
    )
    collect_allocataires = models.BooleanField(_("collecter les allocataires"), default=True)
    collect_children = models.BooleanField(_("collecter les enfants"), default=True)
    collect_address = models.BooleanField(_("collecter l'adresse"), default=False)
    # Pass Famille: the data sources (at least one) and those without which nothing is sent.
    source_qf = models.BooleanField(
        _("quotient familial de la CAF ou de la MSA"),
        default=True,
        help_text=_("Avec les allocataires, les enfants et l'adresse cochés ci-dessous (API Particulier)."),
    )
    require_qf = models.BooleanField(
        _("quotient familial indispensable"),
        default=True,
        help_text=_("Coché : sans quotient familial, le citoyen ne peut rien transmettre."),
    )
    source_dgfip = models.BooleanField(
        _("données fiscales (impots.gouv.fr)"),
        default=False,
        help_text=_(
            "Avis d'impôt sur le revenu, par l'API Impôt particulier de la DGFiP : seulement avec "
            "FranceConnect. Demande la configuration DGFiP du site."
        ),
    )
    require_dgfip = models.BooleanField(
        _("données fiscales indispensables"),
        default=False,
        help_text=_("Coché : sans données fiscales, le citoyen ne peut rien transmettre."),
    )
    dgfip_rfr = models.BooleanField(_("revenu fiscal de référence"), default=True)
    dgfip_nb_parts = models.BooleanField(_("nombre de parts"), default=True)
    dgfip_family_situation = models.BooleanField(_("situation de famille"), default=False)
    dgfip_dependants = models.BooleanField(_("nombre de personnes à charge"), default=False)
    dgfip_address = models.BooleanField(_("adresse fiscale"), default=False)
    income_year_rule = models.CharField(
        _("année des revenus"),
        max_length=10,
        choices=IncomeYearRule.choices,
        default=IncomeYearRule.LAST,
        help_text=_(
            "La dernière année disponible : les revenus de l'an dernier une fois l'impôt établi "
            "(à partir de la date d'imposition réglée pour le site), sinon ceux de l'année d'avant."
        ),
    )
    fixed_income_year = models.PositiveSmallIntegerField(
        _("année de revenus fixe"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
        help_text=_("Utilisée seulement avec la règle « année fixe », par exemple 2025 pour l'avis de 2026."),
    )
    source_eaje = models.BooleanField(
        _("participation familiale en crèche (EAJE)"),
        default=False,
        help_text=_(
            "Ressources annuelles et enfants à charge retenus par la CAF ou la MSA pour calculer "
            "la participation en crèche (API Particulier)."
        ),
    )
    require_eaje = models.BooleanField(
        _("données de crèche indispensables"),
        default=False,
        help_text=_("Coché : sans ces données, le citoyen ne peut rien transmettre."),
    )
    bracket_basis = models.CharField(
        _("les tranches portent sur"),
        max_length=20,
        choices=BracketBasis.choices,
        default=BracketBasis.QF,
        help_text=_(
            "Les bornes des tranches tarifaires s'appliquent à cette valeur, en euros. Le revenu par "
            "part demande les données fiscales avec le revenu fiscal de référence et le nombre de parts."
        ),
    )
    retention_days = models.PositiveIntegerField(
        _("durée de conservation (jours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Vide : valeur par défaut du site."),
    )
    closed_retention_days = models.PositiveIntegerField(
        _("conservation des dossiers clos (jours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Facultatif : anonymiser plus tôt les dossiers clos ou refusés."),
    )
    notification_email = models.EmailField(
        _("adresse de notification"),
        blank=True,
        help_text=_("Reçoit un courriel sans donnée personnelle à chaque nouveau dossier."),
    )
    allow_identity_form = models.BooleanField(
        _("proposer le parcours sans FranceConnect"),
        default=False,
        help_text=_(
            "Le citoyen peut saisir son identité (nom, prénoms, date et lieu de naissance) "
            "au lieu de se connecter avec FranceConnect. Demande le jeton API Particulier du site."
        ),
    )
    forward_to_hubee = models.BooleanField(
        _("déposer les dossiers dans HubEE"),
        default=False,
        help_text=_(
            "Chaque dossier est aussi déposé dans HubEE, d'où le logiciel de la commune le "
            "récupère ; son statut y est suivi. Demande la configuration HubEE du site."
        ),
    )
    # Issue 18: the family is told of its dossier by e-mail (messages of the agents, statuses).
    follow_up_by_email = models.BooleanField(
        _("suivi par courriel"),
        default=True,
        help_text=_(
            "Avec FranceConnect, l'adresse électronique de la famille est demandée à FranceConnect et "
            "lui est montrée avant la transmission ; elle peut la modifier. Les agents lui écrivent "
            "depuis le dossier. Sans FranceConnect, l'adresse saisie est toujours demandée."
        ),
    )
    notify_status_changes = models.BooleanField(
        _("prévenir la famille de chaque changement de statut"),
        default=False,
        help_text=_(
            "Un court courriel à chaque changement de statut fait par un agent, même sans message. "
            "Les messages des agents sont toujours envoyés."
        ),
    )
    texts = StreamField(StepBlocks(), blank=True, verbose_name=_("textes des étapes"))
    identity_daily_budget = models.PositiveIntegerField(
        _("vérifications sans FranceConnect par jour"),
        null=True,
        blank=True,
        help_text=_(
            "Nombre maximal d'appels à API Particulier par jour pour les demandes sans "
            "FranceConnect ; au-delà, elles attendent le lendemain. Vide : valeur par défaut du site."
        ),
    )
    # Issue 20: Services Publics+'s « Je donne mon avis » button on the confirmation pages.
    opinion_url = models.URLField(
        _("lien « Je donne mon avis »"),
        max_length=500,
        blank=True,
        validators=[validate_opinion_url],
        help_text=_(
            "Facultatif : l'adresse de votre démarche sur Services Publics+ "
            "(https://jedonnemonavis.numerique.gouv.fr/Demarches/…). Le bouton « Je donne mon avis » "
            "est alors proposé au citoyen une fois ses données transmises. Vide : pas de bouton."
        ),
    )
    # Kept by save() from the inline « communes desservies »: the citizen steps need
    # no query to know that a page serves only its own commune.
    serves_several_communes = models.BooleanField(default=False, editable=False)

    objects = QFPageManager()

    # The page's panels, tariff brackets and served communes included: a site's own page
    # type adds them to its ``content_panels`` as ``QFTransmissionPage`` does.
    qf_panels = [
        SubmissionsCountPanel(),
        SharePanel(),
        MultiFieldPanel(
            [
                # Asked for from the first draft: Wagtail's bulk « Publier » would fail on a draft without.
                FieldPanel("commune_cog", required_on_save=True),
                FieldRowPanel([FieldPanel("commune_name"), FieldPanel("commune_postcode")]),
                FieldPanel("siret", required_on_save=True),
            ],
            heading=_("Commune destinataire"),
        ),
        MultiFieldPanel(
            [FieldPanel("month_rule"), FieldPanel("fixed_month")],
            heading=_("Mois du quotient familial"),
        ),
        MultiFieldPanel(
            [FieldPanel("allow_identity_form"), FieldPanel("identity_daily_budget")],
            heading=_("Parcours proposés"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("source_qf"), FieldPanel("require_qf")]),
                FieldPanel("collect_allocataires"),
                FieldPanel("collect_children"),
                FieldPanel("collect_address"),
            ],
            heading=_("Données collectées : CAF ou MSA"),
            help_text=_(
                "Au moins une source par page (CAF ou MSA, impots.gouv.fr, crèche). Indispensable : "
                "si la source ne répond pas, le citoyen ne peut rien transmettre ; sinon il transmet ce "
                "qui a été obtenu. Les allocataires, les enfants et l'adresse valent aussi pour la crèche."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("source_dgfip"), FieldPanel("require_dgfip")]),
                FieldPanel("dgfip_rfr"),
                FieldPanel("dgfip_nb_parts"),
                FieldPanel("dgfip_family_situation"),
                FieldPanel("dgfip_dependants"),
                FieldPanel("dgfip_address"),
                FieldRowPanel([FieldPanel("income_year_rule"), FieldPanel("fixed_income_year")]),
            ],
            heading=_("Données collectées : impots.gouv.fr (DGFiP)"),
            help_text=_(
                "Seulement avec FranceConnect. Ne cochez que les données dont vos tarifs ont besoin : "
                "chacune est une autorisation demandée au citoyen."
            ),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("source_eaje"), FieldPanel("require_eaje")])],
            heading=_("Données collectées : crèche (EAJE)"),
            help_text=_("Seulement avec FranceConnect."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("retention_days"),
                FieldPanel("closed_retention_days"),
                FieldPanel("notification_email"),
                FieldPanel("follow_up_by_email"),
                FieldPanel("notify_status_changes"),
                FieldPanel("forward_to_hubee"),
            ],
            heading=_("Traitement des dossiers"),
        ),
        FieldPanel("bracket_basis"),
        FieldPanel("opinion_url"),
        QFInlinePanel(
            "tariff_brackets",
            heading=_("Tranches tarifaires"),
            label=_("tranche"),
            add_label=_("Ajouter une tranche"),
            help_text=_("Facultatif : la tranche est montrée au citoyen et à l'agent."),
        ),
        QFInlinePanel(
            "served_communes",
            heading=_("Communes desservies (site intercommunal)"),
            label=_("commune desservie"),
            add_label=_("Ajouter une commune desservie"),
            help_text=_(
                "Vide : la page ne dessert que sa propre commune. Sinon le citoyen choisit sa commune "
                "de résidence parmi celles-ci ; la commune destinataire ci-dessus (l'EPCI ou la "
                "commune) reste le destinataire des données."
            ),
        ),
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        communes = getattr(self, "served_communes", None)
        self.serves_several_communes = communes is not None and bool(list(communes.all()))
        self.__dict__.pop("_qf_served", None)
        return super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.month_rule == MonthRule.FIXED and not self.fixed_month:
            errors["fixed_month"] = _("Choisissez le mois lorsque la règle est « mois fixe ».")
        errors.update(self._sources_errors())
        errors.update(self._site_settings_errors())
        try:
            self._fill_commune()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    def _sources_errors(self) -> dict:
        """What the webmaster must fix in the choice of data sources (Pass Famille)."""
        from ..dgfip.client import is_configured

        errors = {}
        if not self.data_sources():
            errors["source_qf"] = _(
                "Choisissez au moins une source de données : le quotient familial, les données "
                "fiscales ou les données de crèche."
            )
        for source in DataSource.values:
            if getattr(self, f"require_{source}") and not getattr(self, f"source_{source}"):
                errors[f"require_{source}"] = _(
                    "Une source indispensable doit être demandée : cochez-la aussi, ou décochez « indispensable »."
                )
        if self.source_dgfip:
            if not is_configured():
                errors["source_dgfip"] = _(
                    "Les données fiscales demandent l'accès du site à l'API Impôt particulier "
                    '(réglage WAGTAIL_QF["DGFIP"] : adresses de la passerelle, identifiant et secret '
                    "obtenus par DataPass). Demandez-le à l'administrateur du site."
                )
            elif not any(getattr(self, field.page_field) for field in TAX_FIELDS):
                errors["dgfip_rfr"] = _("Cochez au moins une donnée fiscale à collecter.")
            if self.income_year_rule == IncomeYearRule.FIXED and not self.fixed_income_year:
                errors["fixed_income_year"] = _(
                    "Indiquez l'année des revenus lorsque la règle est « année fixe »."
                )
            elif self.income_year_rule == IncomeYearRule.FIXED and self.fixed_income_year >= (
                timezone.localdate().year
            ):  # declared the next spring: no family has its avis yet
                errors["fixed_income_year"] = _(
                    "Les revenus de %(year)s ne sont déclarés qu'au printemps suivant : aucune famille "
                    "n'a encore d'avis d'impôt pour eux. Indiquez %(last)s ou une année antérieure."
                ) % {"year": self.fixed_income_year, "last": timezone.localdate().year - 1}
        if self.allow_identity_form and (
            not self.source_qf or set(self.required_sources()) - {DataSource.QF}
        ):
            errors["allow_identity_form"] = _(
                "Le parcours sans FranceConnect ne vérifie que le quotient familial : les données "
                "fiscales et de crèche demandent FranceConnect. Il faut donc demander le quotient "
                "familial, et qu'aucune autre source ne soit indispensable."
            )
        if self.bracket_basis == BracketBasis.RFR_PER_PART and not (
            self.source_dgfip and self.dgfip_rfr and self.dgfip_nb_parts
        ):
            errors["bracket_basis"] = _(
                "Des tranches sur le revenu par part demandent les données fiscales avec le revenu "
                "fiscal de référence et le nombre de parts."
            )
        return errors

    def _site_settings_errors(self) -> dict:
        """Options that work only with the site's settings: ticked without them, they would fail
        on the citizen's request (the path without FranceConnect) or do nothing, unsaid (HubEE)."""
        errors = {}
        if self.allow_identity_form and not qf_settings.API_PARTICULIER["TOKEN"]:
            errors["allow_identity_form"] = _(
                "Le parcours sans FranceConnect demande le jeton API Particulier du site (réglage "
                'WAGTAIL_QF["API_PARTICULIER"]["TOKEN"]). Demandez-le à l\'administrateur du site.'
            )
        # Settings begun but incomplete are the system check's (wagtail_qf.E007).
        hubee = qf_settings.HUBEE
        if self.forward_to_hubee and not (hubee["BASE_URL"] and hubee["CLIENT_ID"]):
            errors["forward_to_hubee"] = _(
                'Le dépôt dans HubEE demande l\'accès du site à HubEE (réglage WAGTAIL_QF["HUBEE"] : '
                "adresses, identifiant et secret, démarche enregistrée). Demandez-le à l'administrateur "
                "du site."
            )
        return errors

    def _fill_commune(self):
        """Check the COG and postcode against the shipped communes; fill an empty name or postcode."""
        try:
            validate_cog(self.commune_cog)
        except ValidationError:
            return  # already said by the field's validator
        commune = check_commune(
            self.commune_cog,
            self.commune_postcode,
            cog_field="commune_cog",
            postcode_field="commune_postcode",
        )
        self.commune_name = (self.commune_name or "").strip() or commune.name
        if not self.commune_postcode and commune.postcodes:
            self.commune_postcode = commune.postcodes[0]

    # -- what the page asks for ------------------------------------------------
    def qf_month(self, today=None) -> QFMonth:
        return resolve_month(self.month_rule, self.fixed_month, today or timezone.localdate())

    def effective_retention_days(self) -> int:
        return self.retention_days or qf_settings.DEFAULT_RETENTION_DAYS

    def data_sources(self) -> list[str]:
        """The data sources this page asks for (``sources.DataSource`` values)."""
        return [source for source in DataSource.values if getattr(self, f"source_{source}", False)]

    def required_sources(self) -> list[str]:
        """The sources without which the citizen cannot transmit."""
        return [source for source in self.data_sources() if getattr(self, f"require_{source}", False)]

    def collected_data(self) -> list[str]:
        """Keys of the data this page collects, in display order."""
        keys = ["identity"]
        if self.source_qf:
            keys.append("quotient_familial")
        if self.source_qf or self.source_eaje:  # both answers carry the CAF's family
            if self.collect_allocataires:
                keys.append("allocataires")
            if self.collect_children:
                keys.append("enfants")
            if self.collect_address:
                keys.append("adresse")
        if self.source_eaje:
            keys.append(EAJE_KEY)
        if self.source_dgfip:
            keys += [field.key for field in TAX_FIELDS if getattr(self, field.page_field)]
        return keys

    def franceconnect_scopes(self) -> list[str]:
        from ..franceconnect.scopes import scopes_for

        return scopes_for(
            self.collected_data(), qf_settings.DGFIP["YEAR_SCOPES"], follow_up=self.follow_up_by_email
        )

    def income_year(self, today=None) -> "YearChoice":
        """The income year to ask the DGFiP for (a ``dgfip.years.YearChoice``)."""
        from ..dgfip.years import choose_year

        fixed = self.fixed_income_year if self.income_year_rule == IncomeYearRule.FIXED else None
        return choose_year(today or timezone.localdate(), qf_settings.DGFIP["TAXATION_DATE"], fixed)

    def bracket_value(self, result, tax=None) -> int | None:
        """The value the tariff brackets apply to: the QF, or the RFR per part (None if unknown)."""
        if self.bracket_basis == BracketBasis.RFR_PER_PART:
            return rfr_per_part(tax.rfr, tax.nb_parts) if tax is not None else None
        qf = result.quotient_familial if result is not None else None
        return qf.valeur if qf else None

    def bracket_of(self, result, tax=None) -> str:
        """The tariff bracket of the data obtained ("" without the value the brackets apply to)."""
        value = self.bracket_value(result, tax)
        return self.tariff_bracket(value) if value is not None else ""

    def tariff_bracket(self, qf_value) -> str:
        """The label of the bracket of ``qf_value`` ("" without brackets, e.g. on a site's own page)."""
        from .brackets import bracket_for

        brackets = getattr(self, "tariff_brackets", None)
        return bracket_for(brackets.all(), qf_value) if brackets is not None else ""

    def step_blocks(self, step) -> list:
        return blocks_for_step(self.texts, step)

    # -- steps: what a site may override (README « Extending a page ») ---------
    def get_step_views(self) -> dict[str, type[View]]:
        """The view class of each step, by name: one per route ``step_<name>`` of the page
        (``start``, ``consent``, ``quotient``, ``confirmation``, ``identity``…).

        Override to serve a step with your own subclass of the journey's view
        (``wagtail_qf.journey.steps``): ``{**super().get_step_views(), "quotient": MyView}``.
        Keep every name: the routes ``step_<name>`` and the links between steps use them. The
        defaults are registered by the app when it is ready (the models never import the journey).
        """
        return dict(apps.get_app_config("wagtail_qf").step_views)

    def get_form_class(self, step: str) -> type[forms.Form] | None:
        """The form of ``step``: ``quotient`` (the children ticked, the certification) or
        ``identity`` (the identity typed without FranceConnect); None for a step without one.

        Override to return a subclass that adds a question or changes a label; its extra fields
        are shown before the certification, and ``process_transmission`` stores their answers.
        Keep the step's fields and checks: the certified data is never editable (the form only
        chooses among what API Particulier gave), and the one-time token stops a double dossier.
        """
        return getattr(self.get_step_views()[step], "form_class", None)

    def get_submission_class(self) -> type[Submission]:
        """The model of this page's dossiers: ``Submission`` or a subclass (multi-table, with
        fields of your own, or a proxy). The inbox, the exports, the editors' API and the purge
        read every dossier as a ``Submission``; the purge deletes your rows with it."""
        return Submission

    def process_transmission(self, request, form, transmission) -> Submission:
        """Make the dossier of what the citizen sent, and return it (inside the step's transaction).

        ``transmission`` is what the journey checked (``wagtail_qf.dossiers.creation.Transmission``:
        the identity, API Particulier's answer, the children chosen; or, without FranceConnect,
        the identity and children typed); ``transmission.save(**fields)`` is the domain's creation,
        of ``get_submission_class()``, with ``fields`` of your own class. ``form`` is the step's
        valid form (``get_form_class``). Override to add to it: call ``transmission.save()`` once
        and return its dossier. Store only what the citizen chose; never change certified data.
        """
        return transmission.save()

    def serve(self, request, *args, **kwargs) -> HttpResponseBase:
        from ..headers import protect

        return protect(super().serve(request, *args, **kwargs))

    step_start = _step("", "start")
    step_login = _step("connexion/", "login")
    step_consent = _step("consentement/", "consent")
    step_quotient = _step("quotient/", "quotient")
    step_retry = _step("reessayer/", "retry")
    step_confirmation = _step("confirmation/", "confirmation")
    step_summary = _step("confirmation/recapitulatif/", "summary")
    step_summary_html = _step("confirmation/recapitulatif/html/", "summary_html")
    step_extend = _step("prolonger/", "extend")
    step_logout = _step("deconnexion/", "logout")
    step_identity = _step("sans-franceconnect/", "identity")
    step_follow_up = _step("suivi/", "follow_up")


class QFTransmissionPage(AbstractQFTransmissionPage, Page):  # noqa: DJ008 -- Page gives __str__ (the title)
    """Transmission du quotient familial."""

    content_panels = Page.content_panels + AbstractQFTransmissionPage.qf_panels + ["texts"]
    subpage_types = []
    template = "wagtail_qf/steps/start.html"

    class Meta:
        verbose_name = _("transmission du quotient familial")
        verbose_name_plural = _("transmissions du quotient familial")


# -- every QF page model ------------------------------------------------------------
# ``QFTransmissionPage`` is one page model built on the mixin; a site may have its own.
# Code that reads the pages' QF fields goes through these, never through one model.
def qf_page_models() -> list[type[AbstractQFTransmissionPage]]:
    """The page models built on the mixin (proxies included)."""
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if issubclass(model, AbstractQFTransmissionPage)]


def qf_page_content_types() -> list:
    """The content types of the QF page models (a page's ``content_type`` tells its model)."""
    from django.contrib.contenttypes.models import ContentType

    return list(ContentType.objects.get_for_models(*qf_page_models(), for_concrete_models=False).values())


def qf_pages_only() -> dict:
    """``limit_choices_to`` of a relation to the Page model that only QF pages may use."""
    return {"content_type__in": qf_page_content_types()}


def qf_page_rows(*fields, pks=None) -> dict[int, dict]:
    """``{page id: {"pk": …, field: value…}}`` over every QF page model (only ``pks`` when given).

    One query per page model, with no model instance built."""
    rows = {}
    for model in qf_page_models():
        if model._meta.proxy:  # its pages are read through its concrete model
            continue
        pages = model.objects.all() if pks is None else model.objects.filter(pk__in=pks)
        rows.update((row["pk"], row) for row in pages.values("pk", *fields))
    return rows
