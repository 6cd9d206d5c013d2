"""Fetching the family's data from API Particulier with the FranceConnect access token."""

import logging

from ..particulier.client import get_client
from ..particulier.errors import ParticulierError

logger = logging.getLogger("wagtail_qf.journey")


def fetch_family_data(page, citizen) -> bool:
    """Call API Particulier while the access token is valid (about 60 s); store the outcome."""
    month = page.qf_month()
    try:
        result = get_client().fetch_with_franceconnect(
            citizen.access_token, recipient=page.siret, year=month.year, month=month.month
        )
    except ParticulierError as exc:
        logger.warning(
            "api particulier failed page=%s code=%s status=%s", page.pk, exc.code, exc.status
        )
        citizen.set_error(page, exc.to_session())
        if not exc.retryable:  # a retry with this token cannot help
            citizen.forget_access_token()
        return False
    qf = result.quotient_familial
    citizen.set_result(page, result, page.tariff_bracket(qf.valeur) if qf else "")
    citizen.forget_access_token()
    return True
