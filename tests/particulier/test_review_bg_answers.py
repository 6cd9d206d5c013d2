"""API Particulier answers whose body cannot be read as its headers say (review of the background
and upstream code): a clear error for the citizen, never a crash of the FranceConnect callback."""

import httpx
import pytest

from wagtail_qf.particulier import errors
from wagtail_qf.particulier.client import ParticulierClient

from ..fakes import particulier as api
from ..fakes.franceconnect import issue_access_token

FC_TOKEN = issue_access_token(token="fc-access-token-SECRET-123")
SIRET = "21350051800013"
# A gateway's error page sent as gzip but in plain text: httpx cannot decode it.
NOT_GZIP = {
    "headers": {"Content-Encoding": "gzip"},
    "stream": httpx.ByteStream(b"<html>502 Bad Gateway</html>"),
}


@pytest.mark.parametrize("status", [200, 502])
def test_an_answer_that_is_not_the_gzip_it_claims_is_a_malformed_answer(respx_mock, caplog, status):
    client = ParticulierClient(api.BASE_URL, max_retries=0, backoff=0)
    respx_mock.get(url__startswith=api.BASE_URL).mock(return_value=httpx.Response(status, **NOT_GZIP))
    with pytest.raises(errors.MalformedAnswer) as caught:
        client.fetch_with_franceconnect(FC_TOKEN, recipient=SIRET)
    assert caught.value.citizen_can_retry
    assert "fc-access-token-SECRET-123" not in caplog.text and "Bad Gateway" not in caplog.text
