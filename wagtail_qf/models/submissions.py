"""The dossier: what a citizen transmitted to a commune."""

import swapper
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .references import new_reference
from .search import SOURCE_FIELDS, search_text

swapper.set_app_prefix("wagtailcore", "wagtail")


class SubmissionStatus(models.TextChoices):
    NEW = "new", _("Nouveau")
    # Opened by an agent or fetched by the commune's software (``WAGTAIL_QF["RECEIVED_WHEN"]``).
    RECEIVED = "received", _("Reçu")
    IN_PROGRESS = "in_progress", _("En cours")
    AWAITING = "awaiting", _("En attente de compléments")
    REFUSED = "refused", _("Refusé")
    DONE = "done", _("Traité")
    CLOSED = "closed", _("Clos")


class Provider(models.TextChoices):
    CNAF = "CNAF", _("CAF")
    MSA = "MSA", _("MSA")


# The requester's sex as FranceConnect names it (the identity form stores the same values).
GENDERS = {"female": _("Femme"), "male": _("Homme")}


class Source(models.TextChoices):
    FRANCECONNECT = "franceconnect", _("FranceConnect")
    IDENTITY = "identity", _("Identité saisie (sans FranceConnect)")
    COUNTER = "counter", _("Saisi au guichet")


class EmailOrigin(models.TextChoices):
    """Where the family's address comes from."""

    FRANCECONNECT = "franceconnect", _("certifiée par FranceConnect")
    CITIZEN = "citizen", _("saisie par le demandeur")
    AGENT = "agent", _("saisie par l'agent au guichet")


class Lookup(models.TextChoices):
    """Where the check of a dossier without FranceConnect stands (API Particulier ``identite``).

    Empty for a FranceConnect dossier: its data came with the login."""

    PENDING = "pending", _("Vérification en attente")
    FOUND = "found", _("Trouvé à la CAF ou à la MSA")
    NOT_FOUND = "not_found", _("Non trouvé à la CAF ni à la MSA")
    FAILED = "failed", _("Vérification impossible (erreur du service)")


class Submission(models.Model):
    # A dossier is not content: keep it out of Wagtail's reference index (saves
    # five queries per transmission, and "usage" of a page is not its dossiers).
    wagtail_reference_index_ignore = True

    reference = models.CharField(
        _("référence"), max_length=20, unique=True, default=new_reference, editable=False
    )
    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        on_delete=models.CASCADE,
        related_name="qf_submissions",
        verbose_name=_("page"),
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.NEW,
    )
    source = models.CharField(
        _("parcours"), max_length=20, choices=Source.choices, default=Source.FRANCECONNECT
    )
    # A default rather than auto_now_add, so imports and demo data keep their dates.
    submitted_at = models.DateTimeField(_("transmis le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    # One-time token of the form the citizen posted: a second POST of the same
    # form hits the unique constraint instead of creating a second dossier.
    submission_token = models.CharField(max_length=64, unique=True, editable=False)

    # Requester, as certified by FranceConnect.
    family_name = models.CharField(_("nom de naissance"), max_length=255)
    given_names = models.CharField(_("prénoms"), max_length=255)
    usage_name = models.CharField(_("nom d'usage"), max_length=255, blank=True)
    birthdate = models.DateField(_("date de naissance"), null=True, blank=True)
    gender = models.CharField(_("sexe"), max_length=10, blank=True)
    birthplace = models.CharField(_("commune de naissance (COG)"), max_length=5, blank=True)
    birthcountry = models.CharField(_("pays de naissance (COG)"), max_length=5, blank=True)

    # Certified family data, as returned by API Particulier.
    qf_value = models.PositiveIntegerField(_("quotient familial (€)"), null=True)
    qf_year = models.PositiveSmallIntegerField(_("année du QF"), null=True)
    qf_month = models.PositiveSmallIntegerField(_("mois du QF"), null=True)
    qf_provider = models.CharField(_("organisme"), max_length=4, choices=Provider.choices, blank=True)
    tariff_bracket = models.CharField(_("tranche tarifaire"), max_length=40, blank=True)
    # The citizen's commune of residence (chosen on an intercommunal page, else the page's own).
    commune_cog = models.CharField(_("commune (COG)"), max_length=5, blank=True)
    commune_name = models.CharField(_("commune"), max_length=120, blank=True)
    allocataires = models.JSONField(_("allocataires"), default=list, blank=True)
    children = models.JSONField(_("enfants concernés"), default=list, blank=True)
    address = models.JSONField(_("adresse"), null=True, blank=True)
    raw_response = models.JSONField(_("réponse d'API Particulier"), default=dict, blank=True)
    # Pass Famille: the tax data (DGFiP) and crèche data (EAJE) the page collects, as
    # transmitted; the sources asked but not obtained ({"dgfip": "no_avis"}); what the
    # tariff bracket was worked out on ("qf" or "rfr_per_part", see ``sources.BracketBasis``).
    tax_data = models.JSONField(_("données fiscales"), null=True, blank=True)
    eaje_data = models.JSONField(_("données de crèche (EAJE)"), null=True, blank=True)
    missing_sources = models.JSONField(_("sources non obtenues"), default=dict, blank=True)
    tariff_basis = models.CharField(_("base de la tranche"), max_length=20, blank=True)
    # Every name of the dossier and its reference as plain words (``models.search``), written by
    # ``save``: what the inbox searches (a trigram index on PostgreSQL); erased by the purge.
    search_text = models.TextField(_("texte de recherche"), blank=True, default="", editable=False)
    # Set when the retention purge removed the personal data; the row stays for statistics.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)
    # When it first became « Traité » or « Clos », from its history (kept by the database:
    # triggers of migration ``0012_inbox_volume``), for the time to process of the statistics.
    processed_at = models.DateTimeField(_("traité le"), null=True, blank=True, editable=False)
    # Identifier of the family in a commune software editor's portal (deep link), if any.
    external_id = models.CharField(_("identifiant externe"), max_length=64, blank=True)
    # How to reach the family (required on the path without FranceConnect), and where it comes from.
    email = models.EmailField(_("adresse électronique"), blank=True)
    email_origin = models.CharField(
        _("origine de l'adresse électronique"), max_length=20, choices=EmailOrigin.choices, blank=True
    )
    # Who may see the dossier again on the follow-up page after FranceConnect: a keyed hash of the
    # FranceConnect ``sub`` (``models.follow_up.follow_up_key``), never the ``sub``; blank otherwise.
    follow_up_key = models.CharField(_("clé de suivi"), max_length=64, blank=True, editable=False)

    # The path without FranceConnect: nothing obtained is shown to the citizen; the
    # API Particulier ``identite`` call is made (and retried) in the background.
    # Children typed by the citizen: [{"prenoms", "date_naissance", "matched": bool}].
    declared_children = models.JSONField(_("enfants déclarés"), default=list, blank=True)
    lookup = models.CharField(_("vérification CAF/MSA"), max_length=20, choices=Lookup.choices, blank=True)
    lookup_attempts = models.PositiveSmallIntegerField(_("appels à API Particulier"), default=0)
    lookup_error = models.CharField(_("dernière erreur de vérification"), max_length=40, blank=True)
    lookup_at = models.DateTimeField(_("dernière vérification"), null=True, blank=True)
    # The agent who created the dossier at the counter (``Source.COUNTER``).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saisi par"),
    )

    class Meta:
        verbose_name = _("dossier de quotient familial")
        verbose_name_plural = _("dossiers de quotient familial")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["page", "status", "-submitted_at"], name="qf_sub_page_status"),
            models.Index(fields=["page", "-submitted_at"], name="qf_sub_page_submitted"),
            models.Index(fields=["commune_cog", "-submitted_at"], name="qf_sub_commune"),
            models.Index(fields=["status", "-submitted_at"], name="qf_sub_status"),
            models.Index(fields=["-submitted_at"], name="qf_sub_submitted"),
            models.Index(fields=["lookup", "lookup_at"], name="qf_sub_lookup"),
            models.Index(fields=["page", "follow_up_key"], name="qf_sub_follow_up"),
        ]
        permissions = [("export_submission", _("Peut exporter les dossiers"))]

    def __str__(self):
        return self.reference

    def save(self, *args, update_fields=None, **kwargs) -> None:
        if update_fields is None or SOURCE_FIELDS.intersection(update_fields):
            self.search_text = search_text(self)
            if update_fields is not None:
                update_fields = {*update_fields, "search_text"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def gender_label(self) -> str:
        return GENDERS.get(self.gender, self.gender)

    @property
    def requester_name(self) -> str:
        return f"{self.family_name} {self.given_names}".strip()
