"""Pass Famille: the data sources a page may ask for, and what each brings.

A commune prices its services on different data, so each page chooses its sources
(at least one): the CAF/MSA quotient familial (API Particulier, today's default),
the DGFiP's tax data (API Impôt particulier, one checkbox per field and FranceConnect
scope) and the crèche (EAJE) participation data (API Particulier). The choice drives
the FranceConnect scopes (``franceconnect.scopes``), the calls made in the callback
(``journey.sources``), the consent list, the dossier and its outputs.

Pure definitions here (no client, no model): the page model, the journey and the
dossier's outputs share them.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .upstream import UpstreamError


class DataSource(models.TextChoices):
    QF = "qf", _("quotient familial (CAF ou MSA)")
    DGFIP = "dgfip", _("données fiscales (impots.gouv.fr)")
    EAJE = "eaje", _("participation familiale en crèche (CAF ou MSA)")


class BracketBasis(models.TextChoices):
    """What the tariff brackets' bounds apply to."""

    QF = "qf", _("le quotient familial de la CAF ou de la MSA")
    RFR_PER_PART = "rfr_per_part", _("le revenu fiscal de référence divisé par le nombre de parts")


class IncomeYearRule(models.TextChoices):
    """Which income year is asked to the DGFiP (``dgfip.years``)."""

    LAST = "last", _("la dernière année disponible")
    FIXED = "fixed", _("une année fixe")


@dataclass(frozen=True)
class TaxField:
    page_field: str  # the page's checkbox
    key: str  # the key of ``collected_data()`` and of the dossier's ``tax_data``
    attribute: str  # the ``dgfip.types.TaxResult`` attribute (its scope: ``dgfip.types.SCOPES``)
    label: str


# The DGFiP fields a page may collect, in display order.
TAX_FIELDS = (
    TaxField("dgfip_rfr", "rfr", "rfr", _("revenu fiscal de référence")),
    TaxField("dgfip_nb_parts", "nb_parts", "nb_parts", _("nombre de parts")),
    TaxField("dgfip_family_situation", "situation_famille", "situation_famille", _("situation de famille")),
    TaxField(
        "dgfip_dependants", "personnes_a_charge", "personnes_a_charge", _("nombre de personnes à charge")
    ),
    TaxField("dgfip_address", "adresse_fiscale", "adresse", _("adresse fiscale")),
)
TAX_KEYS = tuple(field.key for field in TAX_FIELDS)
# The key of the crèche participation data in ``collected_data()``.
EAJE_KEY = "participation_eaje"


def rfr_per_part(rfr, nb_parts) -> int | None:
    """The revenu fiscal de référence divided by the number of parts, in whole euros (rounded down)."""
    if rfr is None or not nb_parts:
        return None
    return int(rfr // nb_parts)


def tax_address_line(address: dict | None) -> str:
    """A dossier's tax address on one line (its detail, else the DGFiP's own line)."""
    address = address or {}
    parts = [address.get(key) for key in ("complement", "voie", "commune", "code_postal_ville")]
    return " ".join(part for part in parts if part) or address.get("texte", "")


class NeedsFranceConnect(UpstreamError):
    """A source not asked because the dossier was made without FranceConnect (identity form,
    counter): the DGFiP serves communes only in FranceConnect mode, and the crèche endpoint
    is only called with the citizen's FranceConnect token."""

    code = "without_franceconnect"
    # What the agent reads among the data not obtained (the citizen was told on the page).
    user_message = _(
        "Ces données ne peuvent être obtenues qu'avec FranceConnect ; la demande a été faite sans "
        "FranceConnect. Demandez le justificatif à la famille si vous en avez besoin."
    )


def missing_without_franceconnect(page) -> dict:
    """The ``missing_sources`` of a dossier made without FranceConnect: every source of the page
    but the quotient familial (API Particulier's identity mode serves only that)."""
    return {
        source: {**NeedsFranceConnect().to_session(), "source": source}
        for source in page.data_sources()
        if source != DataSource.QF
    }


def error_from_session(data: dict | None) -> UpstreamError:
    """An upstream error kept as ``{"class", "code", "status", "source"}`` (in the citizen's
    session, or among a dossier's ``missing_sources``), rebuilt to explain it."""
    from .dgfip import errors as dgfip_errors
    from .particulier import errors as particulier_errors
    from .particulier.eaje import NoEAJEFile

    data = data or {}
    if data.get("class") == NeedsFranceConnect.__name__:
        return NeedsFranceConnect()
    if data.get("source") == DataSource.DGFIP:
        return dgfip_errors.error_from_session(data)
    if data.get("source") == DataSource.EAJE and data.get("class") == NoEAJEFile.__name__:
        return NoEAJEFile(code=data.get("code"), status=data.get("status"))
    error = particulier_errors.error_from_session(data)
    if data.get("source") == DataSource.EAJE and isinstance(error, particulier_errors.ServiceMisconfigured):
        # API Particulier's refusals say to bring the QF attestation: a crèche does not price on it.
        error.next_step = NoEAJEFile.next_step
    return error
