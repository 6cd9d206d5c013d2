"""The *Transmission du quotient familial* page.

Wagtail 8 reusable-app rules: the fields and behaviour live in an abstract
mixin; the concrete page subclasses whatever page model the site uses as its
base (``WAGTAIL_PAGE_MODEL``, loaded through ``swapper``).
"""

import swapper
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField

from ..blocks import StepBlocks, blocks_for_step
from ..conf import qf_settings
from ..months import MonthRule, resolve_month
from ..page_panel import QFInlinePanel, SubmissionsCountPanel
from ..validators import check_commune, validate_cog, validate_postcode, validate_siret

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


def _step(pattern: str, name: str):
    """A route of the page served by ``journey.steps.<name>`` (imported late: it needs the models)."""

    def view(page, request):
        from ..journey import steps

        return getattr(steps, name)(page, request)

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
    # Kept by save() from the inline « communes desservies »: the citizen steps need
    # no query to know that a page serves only its own commune.
    serves_several_communes = models.BooleanField(default=False, editable=False)

    # The page's panels, tariff brackets and served communes included: a site's own page
    # type adds them to its ``content_panels`` as ``QFTransmissionPage`` does.
    qf_panels = [
        SubmissionsCountPanel(),
        MultiFieldPanel(
            [
                FieldPanel("commune_cog"),
                FieldRowPanel([FieldPanel("commune_name"), FieldPanel("commune_postcode")]),
                FieldPanel("siret"),
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
                FieldPanel("collect_allocataires"),
                FieldPanel("collect_children"),
                FieldPanel("collect_address"),
            ],
            heading=_("Données collectées"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("retention_days"),
                FieldPanel("closed_retention_days"),
                FieldPanel("notification_email"),
                FieldPanel("forward_to_hubee"),
            ],
            heading=_("Traitement des dossiers"),
        ),
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

    def save(self, *args, **kwargs):
        communes = getattr(self, "served_communes", None)
        self.serves_several_communes = communes is not None and bool(list(communes.all()))
        self.__dict__.pop("_qf_served", None)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.month_rule == MonthRule.FIXED and not self.fixed_month:
            errors["fixed_month"] = _("Choisissez le mois lorsque la règle est « mois fixe ».")
        try:
            self._fill_commune()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

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
    def qf_month(self, today=None):
        return resolve_month(self.month_rule, self.fixed_month, today or timezone.localdate())

    def effective_retention_days(self) -> int:
        return self.retention_days or qf_settings.DEFAULT_RETENTION_DAYS

    def collected_data(self):
        """Keys of the data this page collects, in display order."""
        keys = ["identity", "quotient_familial"]
        if self.collect_allocataires:
            keys.append("allocataires")
        if self.collect_children:
            keys.append("enfants")
        if self.collect_address:
            keys.append("adresse")
        return keys

    def franceconnect_scopes(self):
        from ..franceconnect.scopes import scopes_for

        return scopes_for(self.collected_data())

    def bracket_of(self, result):
        """The tariff bracket of an API Particulier result ("" without a QF)."""
        qf = result.quotient_familial
        return self.tariff_bracket(qf.valeur) if qf else ""

    def tariff_bracket(self, qf_value):
        """The label of the bracket of ``qf_value`` ("" without brackets, e.g. on a site's own page)."""
        from .brackets import bracket_for

        brackets = getattr(self, "tariff_brackets", None)
        return bracket_for(brackets.all(), qf_value) if brackets is not None else ""

    def step_blocks(self, step):
        return blocks_for_step(self.texts, step)

    # -- steps -----------------------------------------------------------------
    def serve(self, request, *args, **kwargs):
        from ..headers import protect

        return protect(super().serve(request, *args, **kwargs))

    step_start = _step("", "start")
    step_login = _step("connexion/", "login")
    step_consent = _step("consentement/", "consent")
    step_quotient = _step("quotient/", "quotient")
    step_retry = _step("reessayer/", "retry")
    step_confirmation = _step("confirmation/", "confirmation")
    step_summary = _step("confirmation/recapitulatif/", "summary")
    step_logout = _step("deconnexion/", "logout")
    step_identity = _step("sans-franceconnect/", "identity")


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
def qf_page_models():
    """The page models built on the mixin (proxies included)."""
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if issubclass(model, AbstractQFTransmissionPage)]


def qf_page_content_types():
    """The content types of the QF page models (a page's ``content_type`` tells its model)."""
    from django.contrib.contenttypes.models import ContentType

    return list(ContentType.objects.get_for_models(*qf_page_models(), for_concrete_models=False).values())


def qf_pages_only():
    """``limit_choices_to`` of a relation to the Page model that only QF pages may use."""
    return {"content_type__in": qf_page_content_types()}


def qf_page_rows(*fields, pks=None):
    """``{page id: {"pk": …, field: value…}}`` over every QF page model (only ``pks`` when given).

    One query per page model, with no model instance built."""
    rows = {}
    for model in qf_page_models():
        if model._meta.proxy:  # its pages are read through its concrete model
            continue
        pages = model.objects.all() if pks is None else model.objects.filter(pk__in=pks)
        rows.update((row["pk"], row) for row in pages.values("pk", *fields))
    return rows
