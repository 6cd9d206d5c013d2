"""Fetching the family's data from API Particulier, and keeping the outcome in the session."""

import logging

from ..particulier.client import get_client
from ..particulier.errors import ParticulierError, ServiceMisconfigured

logger = logging.getLogger("wagtail_qf.journey")


def _store(page, citizen, mode, call) -> ParticulierError | None:
    """Run the call; keep its result (with the tariff bracket) or its error in the session."""
    try:
        result = call()
    except ParticulierError as exc:
        if isinstance(exc, ServiceMisconfigured):
            # The webmaster's to fix, not the citizen's: an error, not a warning.
            logger.error(
                "api particulier refused the service's configuration page=%s code=%s status=%s: check "
                "the API Particulier token and its rights, the page's SIRET and FranceConnect scopes",
                page.pk,
                exc.code,
                exc.status,
            )
        else:
            logger.warning(
                "api particulier %s failed page=%s error=%s code=%s status=%s",
                mode,
                page.pk,
                type(exc).__name__,
                exc.code,
                exc.status,
            )
        citizen.set_error(page, exc.to_session())
        return exc
    citizen.set_result(page, result, page.bracket_of(result))
    return None


def fetch_family_data(page, citizen) -> bool:
    """Call the page's data sources while the access token is valid (about 60 s); store the
    outcome (``journey.sources``). True when the citizen may transmit."""
    from .sources import fetch_sources

    outcome = fetch_sources(page, citizen)
    if not outcome.retry_can_help:  # a retry with this token cannot help
        citizen.forget_access_token()
    return outcome.transmittable


def fetch_with_identity(page, citizen, query) -> bool:
    """Call API Particulier's ``identite`` mode (path without FranceConnect); store the outcome."""
    month = page.qf_month()
    return (
        _store(
            page,
            citizen,
            "identite",
            lambda: get_client().fetch_with_identity(
                query, recipient=page.siret, year=month.year, month=month.month
            ),
        )
        is None
    )
