"""DGFiP answers whose body cannot be read as its headers say (review of the background and
upstream code): a clear error for the citizen, never a crash of the FranceConnect callback."""

import httpx
import pytest

from wagtail_qf.dgfip import errors
from wagtail_qf.dgfip.client import DgfipClient
from wagtail_qf.dgfip.years import YearChoice

from ..fakes import dgfip as gw

NOT_GZIP = {
    "headers": {"Content-Encoding": "gzip"},
    "stream": httpx.ByteStream(b"<html>502 Bad Gateway</html>"),
}


@pytest.mark.parametrize("status", [200, 502])
def test_an_answer_that_is_not_the_gzip_it_claims_is_a_malformed_answer(respx_mock, status):
    client = DgfipClient(
        gw.BASE_URL, gw.TOKEN_URL, gw.CLIENT_ID, gw.CLIENT_SECRET, gw.ID_TELESERVICE, max_retries=0, backoff=0
    )
    gw.token_route(respx_mock)
    respx_mock.get(gw.situation_url(2025)).mock(return_value=httpx.Response(status, **NOT_GZIP))
    with pytest.raises(errors.MalformedAnswer):
        client.fetch_situation("fc-token", YearChoice(2025, fallback=False))
