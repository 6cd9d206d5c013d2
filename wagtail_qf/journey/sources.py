"""Fetching every data source a page asks for, in the FranceConnect callback (Pass Famille).

The FranceConnect access token lives about 60 s: the calls (API Particulier's quotient
familial and crèche data, the DGFiP's tax data) run in parallel, within one time budget,
the longest of their clients' ``TOTAL_TIMEOUT`` (each client stops by then; a call still
running at the end of the budget counts as too slow). Only the sources the page asks
for are called.

The outcome may be partial: the citizen may transmit when every source the page
requires answered (and one at least did); what was not obtained is said, and kept in
the dossier. Otherwise the journey shows the first required source's error, with what
was obtained. The session keeps (``CitizenSession``):

- ``result``: the CAF's family as a ``QFResult`` (from the quotient familial's answer, else
  the crèche answer's family; empty without either), with the tariff bracket;
- ``sources``: ``{"qf": QFResult, "tax": TaxResult, "eaje": EAJEResult, "missing": {source:
  error}, "obtained": [source]}`` in their session form, each answer cut to what the page
  collects when it is fetched (``dossiers.creation.shown_only`` / ``pass_famille_shown_only``):
  the session never holds data the page does not collect, and a field the webmaster adds
  afterwards never reaches this family's dossier.

A source that failed may be asked again (« Réessayer ») while the FranceConnect token lives
(``ACCESS_TOKEN_SECONDS``), whether it blocked the transmission or was optional: only the
sources not obtained are called again, the answers already obtained are kept. After that,
trying again means logging in again (a new token; every source is asked again).
"""

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.db import connections
from django.utils.translation import gettext as _

from ..dgfip import client as dgfip_client
from ..dgfip import errors as dgfip_errors
from ..dgfip.types import TaxResult
from ..dossier_display import eaje_rows, number_label, tax_rows
from ..dossiers import statistics
from ..dossiers.creation import pass_famille_fields, pass_famille_shown_only, shown_only
from ..formatting import grouped_number
from ..particulier import client as particulier_client
from ..particulier import errors as particulier_errors
from ..particulier.eaje import EAJEResult
from ..particulier.types import QFResult
from ..sources import BracketBasis, DataSource, error_from_session, rfr_per_part
from ..upstream import UpstreamError

logger = logging.getLogger("wagtail_qf.journey")

# The budget when no client has one (``TOTAL_TIMEOUT: None``): within the token's life.
DEFAULT_BUDGET_SECONDS = 20.0
# A source's too-slow error, by source.
TOO_SLOW = {
    DataSource.QF: particulier_errors.Timeout,
    DataSource.EAJE: particulier_errors.Timeout,
    DataSource.DGFIP: dgfip_errors.Timeout,
}
MISCONFIGURED = (particulier_errors.ServiceMisconfigured, dgfip_errors.ServiceMisconfigured)
# What the citizen reads of a source that was not obtained.
LABELS = {source.value: source.label for source in DataSource}
# Where the session keeps each source's answer (``Outcome.to_session``), and how it is read back.
SESSION_KEYS = {DataSource.QF: "qf", DataSource.DGFIP: "tax", DataSource.EAJE: "eaje"}
# The provider of each source, in the statistics of upstream failures.
PROVIDERS = {DataSource.QF: "particulier", DataSource.EAJE: "particulier", DataSource.DGFIP: "dgfip"}
LOADERS = {
    DataSource.QF: QFResult.from_session,
    DataSource.DGFIP: TaxResult.from_session,
    DataSource.EAJE: EAJEResult.from_session,
}


@dataclass
class Outcome:
    """What each source asked gave: a result or an error."""

    asked: list[str]
    required: list[str]
    results: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def transmittable(self) -> bool:
        """Every required source answered, and one source at least."""
        return bool(self.results) and all(source in self.results for source in self.required)

    @property
    def blocking_source(self) -> str | None:
        """The source whose error is shown when nothing can be transmitted: a required one first."""
        if self.transmittable:
            return None
        failed = [source for source in self.asked if source in self.errors]
        required = [source for source in failed if source in self.required]
        return (required or failed)[0]

    @property
    def retry_can_help(self) -> bool:
        """A new try with the same FranceConnect token may fetch what is missing (a required
        source, or an optional one)."""
        return any(exc.retryable for exc in self.errors.values())

    def family(self) -> QFResult:
        """The CAF's family: from the quotient familial's answer, else from the crèche answer."""
        qf = self.results.get(DataSource.QF)
        if qf is not None:
            return qf
        eaje = self.results.get(DataSource.EAJE)
        if eaje is not None:
            return QFResult(None, eaje.allocataires, eaje.enfants, eaje.adresse, eaje.cached, eaje.raw)
        return QFResult(None, None, None, None, raw={})

    def to_session(self) -> dict:
        qf = self.results.get(DataSource.QF)
        tax, eaje = self.results.get(DataSource.DGFIP), self.results.get(DataSource.EAJE)
        return {
            "qf": qf.to_session() if qf else None,
            "tax": tax.to_session() if tax else None,
            "eaje": eaje.to_session() if eaje else None,
            "missing": {source: error_to_session(source, exc) for source, exc in self.errors.items()},
            "obtained": [source for source in self.asked if source in self.results],
        }


def error_to_session(source: str, exc: UpstreamError) -> dict:
    return {**exc.to_session(), "source": source}


@dataclass(frozen=True)
class SourcesView:
    """What the citizen's steps show of the sources: obtained data and what is missing.

    The rows are those of the agent's dossier view (``dossier_display``), restricted to what
    the page collects: the citizen sees what the commune will receive."""

    tax: TaxResult | None = None
    eaje: EAJEResult | None = None
    # (label of the source, error) for each source asked but not obtained, in the page's order.
    missing: tuple = ()
    obtained: tuple = ()  # the labels of the sources that answered
    tax_rows: tuple = ()
    eaje_rows: tuple = ()
    # How the income per part the brackets apply to is worked out (else ""): « Elle est
    # calculée sur votre revenu fiscal de référence divisé par votre nombre de parts : … ».
    bracket_basis: str = ""
    # Why no tariff bracket could be worked out on the tax data obtained (else ""): « Votre
    # tranche tarifaire n'a pas pu être déterminée : l'administration fiscale n'a pas transmis… ».
    bracket_missing: str = ""

    @property
    def can_retry(self) -> bool:
        """A source not obtained may answer if the citizen tries again."""
        return any(error.citizen_can_retry for _label, error in self.missing)


def view_of(page, citizen) -> SourcesView:
    data = citizen.sources(page)
    missing = data.get("missing") or {}
    tax = TaxResult.from_session(data["tax"]) if data.get("tax") else None
    eaje = EAJEResult.from_session(data["eaje"]) if data.get("eaje") else None
    stored = pass_famille_fields(page, tax, eaje)
    return SourcesView(
        tax=tax,
        eaje=eaje,
        missing=tuple(
            (LABELS.get(source, source), error_from_session(missing[source]))
            for source in page.data_sources()
            if source in missing
        ),
        obtained=tuple(LABELS[source] for source in data.get("obtained") or () if source in LABELS),
        tax_rows=tax_rows(stored["tax_data"]),
        eaje_rows=eaje_rows(stored["eaje_data"]),
        bracket_basis=citizen_bracket_basis(stored["tariff_basis"], stored["tax_data"]),
        bracket_missing=citizen_bracket_missing(page, stored["tariff_basis"], stored["tax_data"]),
    )


def citizen_bracket_missing(page, tariff_basis: str, tax: dict | None) -> str:
    """Why the page's brackets on the income per part give no bracket: the tax data obtained
    lack the revenu fiscal de référence or the number of parts (else "")."""
    brackets = getattr(page, "tariff_brackets", None)
    if tariff_basis != BracketBasis.RFR_PER_PART or not tax or brackets is None or not brackets.exists():
        return ""
    no_rfr, no_parts = tax.get("rfr") is None, not tax.get("nb_parts")
    if no_rfr and no_parts:
        missing = _(
            "l'administration fiscale n'a transmis ni votre revenu fiscal de référence ni votre nombre de parts"
        )
    elif no_rfr:
        missing = _("l'administration fiscale n'a pas transmis votre revenu fiscal de référence")
    elif no_parts:
        missing = _("l'administration fiscale n'a pas transmis votre nombre de parts")
    else:
        return ""
    return _(
        "Votre tranche tarifaire n'a pas pu être déterminée : %(missing)s. La commune la déterminera."
    ) % {"missing": missing}


def citizen_bracket_basis(tariff_basis: str, tax: dict | None) -> str:
    """The citizen's sentence on the value their tariff bracket comes from, when it is the
    revenu fiscal de référence divided by the number of parts (else "")."""
    tax = tax or {}
    if tariff_basis != BracketBasis.RFR_PER_PART:
        return ""
    value = rfr_per_part(tax.get("rfr"), tax.get("nb_parts"))
    if value is None:
        return ""
    return _(
        "Elle est calculée sur votre revenu fiscal de référence divisé par votre nombre de parts : "
        "%(rfr)s € ÷ %(parts)s = %(value)s € par part."
    ) % {
        "rfr": grouped_number(tax["rfr"]),
        "parts": number_label(tax["nb_parts"]),
        "value": grouped_number(value),
    }


# -- the calls ------------------------------------------------------------------
def _calls(page, token) -> dict:
    """The call of each source the page asks for (nothing else is called)."""
    calls = {}
    if page.source_qf:
        month = page.qf_month()
        calls[DataSource.QF] = lambda: particulier_client.get_client().fetch_with_franceconnect(
            token, recipient=page.siret, year=month.year, month=month.month
        )
    if page.source_eaje:
        calls[DataSource.EAJE] = lambda: particulier_client.get_client().fetch_eaje_with_franceconnect(
            token, recipient=page.siret
        )
    if page.source_dgfip:
        year = page.income_year()
        calls[DataSource.DGFIP] = lambda: dgfip_client.get_client().fetch_situation(token, year)
    return calls


def budget_seconds(sources) -> float:
    """The shared budget: the longest ``TOTAL_TIMEOUT`` of the clients called."""
    from ..conf import qf_settings

    names = {"DGFIP" if source == DataSource.DGFIP else "API_PARTICULIER" for source in sources}
    budgets = [getattr(qf_settings, name).get("TOTAL_TIMEOUT") for name in names]
    return max(float(b) for b in budgets) if all(budgets) else DEFAULT_BUDGET_SECONDS


def _run(call):
    try:
        return call()
    finally:
        connections.close_all()  # this thread's own (a database cache backend opens one)


def _call_all(calls: dict) -> tuple[dict, dict]:
    """Run the calls in parallel within the budget: ({source: result}, {source: error})."""
    results, errors = {}, {}
    if len(calls) == 1:  # one source: no thread needed, the client's own budget bounds it
        ((source, call),) = calls.items()
        try:
            results[source] = call()
        except UpstreamError as exc:
            errors[source] = exc
        return results, errors
    pool = ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="wagtail_qf_source")
    futures = {source: pool.submit(_run, call) for source, call in calls.items()}
    wait(futures.values(), timeout=budget_seconds(calls))
    pool.shutdown(wait=False, cancel_futures=True)  # a call still running is abandoned
    for source, future in futures.items():
        if not future.done():
            logger.warning("data source too slow for the shared budget source=%s", source)
            errors[source] = TOO_SLOW[source]()
            continue
        try:
            results[source] = future.result()
        except UpstreamError as exc:
            errors[source] = exc
    return results, errors


def _log(page, source, exc):
    statistics.record_failure(page.pk, PROVIDERS[source], exc)
    if isinstance(exc, MISCONFIGURED):
        # The webmaster's to fix, not the citizen's: an error, not a warning.
        logger.error(
            "data source refused the service's configuration page=%s source=%s code=%s status=%s: "
            "check the page's SIRET and FranceConnect scopes, the API Particulier token or the "
            "DGFiP gateway's settings and rights",
            page.pk,
            source,
            exc.code,
            exc.status,
        )
    else:
        logger.warning(
            "data source failed page=%s source=%s error=%s code=%s status=%s",
            page.pk,
            source,
            type(exc).__name__,
            exc.code,
            exc.status,
        )


def _obtained(page, citizen) -> dict:
    """The answers an earlier try of this login obtained ({source: result}), not asked again."""
    data = citizen.sources(page)
    kept = {source: data.get(key) for source, key in SESSION_KEYS.items()}
    return {
        source: LOADERS[source](kept[source])
        for source in data.get("obtained") or ()
        if source in SESSION_KEYS and kept[source]
    }


def _shown(page, results: dict) -> dict:
    """The answers cut to what the page collects (``shown_only``, ``pass_famille_shown_only``):
    the session, the step and the dossier hold nothing more."""
    keys = page.collected_data()
    tax, eaje = pass_famille_shown_only(keys, results.get(DataSource.DGFIP), results.get(DataSource.EAJE))
    qf = results.get(DataSource.QF)
    cut = {
        DataSource.QF: shown_only(qf, keys) if qf is not None else None,
        DataSource.DGFIP: tax,
        DataSource.EAJE: eaje,
    }
    return {source: cut[source] if source in cut else result for source, result in results.items()}


def fetch_sources(page, citizen) -> Outcome:
    """Call the page's sources with the citizen's FranceConnect token; keep the outcome in the session.

    On a retry, only the sources not obtained yet are called."""
    obtained = _obtained(page, citizen)
    every_call = _calls(page, citizen.access_token)
    calls = {source: call for source, call in every_call.items() if source not in obtained}
    results, errors = _call_all(calls) if calls else ({}, {})
    outcome = Outcome(
        list(every_call), page.required_sources(), _shown(page, {**obtained, **results}), errors
    )
    for source, exc in errors.items():
        _log(page, source, exc)
    if outcome.transmittable:
        statistics.record(page.pk, statistics.DATA_OBTAINED)
        family = outcome.family()
        # The tax data of this try or of an earlier one (a retry calls only what was not obtained).
        citizen.set_result(page, family, page.bracket_of(family, outcome.results.get(DataSource.DGFIP)))
    else:
        source = outcome.blocking_source
        citizen.set_error(page, error_to_session(source, errors[source]))
    citizen.set_sources(page, outcome.to_session())
    return outcome
