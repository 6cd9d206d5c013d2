"""One policy for the addresses an editor gives: the token's addresses (webhook, return
prefixes) and the deep link's ``redirect_uri`` refuse the same URLs."""

import pytest
from django.core.exceptions import ValidationError

from wagtail_qf.journey import deeplink
from wagtail_qf.models import EditorToken
from wagtail_qf.url_policy import https_parts

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://editeur.test/retour/",  # not https
    "https://editeur.test:99999/retour/",  # port out of range
    "https://editeur.test:port/retour/",  # port not a number
    "https://editeur.test/re\x01tour/",  # control character
    "https://user@editeur.test/retour/",  # user part
    "https://editeur.test/retour/\\@evil.test",  # backslash
    "https:///retour/",  # no host
    "https://editeur.test/" + "a" * 2000,  # too long
    # The server's own network (webhooks are sent from it): loopback, private, link-local (a
    # cloud's metadata service), local names, an address written as a number.
    "https://127.0.0.1/hook",
    "https://localhost:8443/hook",
    "https://intranet.localhost/hook",
    "https://10.1.2.3/hook",
    "https://192.168.0.10/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fd00::1]/hook",
    "https://2130706433/hook",
    "https://0x7f000001/hook",
    "https://mairie.internal/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_the_tokens_addresses_refuse_what_the_policy_refuses(url):
    assert https_parts(url) is None
    token = EditorToken(name="X", redirect_uris=url)
    token.set_new_token()
    with pytest.raises(ValidationError) as exc:
        token.full_clean()
    assert "redirect_uris" in exc.value.message_dict


@pytest.mark.parametrize("url", REFUSED)
def test_the_deep_link_refuses_what_the_policy_refuses(url):
    assert deeplink._parts(url) is None


def test_an_https_address_is_accepted_by_both():
    url = "https://editeur.test:8443/retour/"
    assert https_parts(url) is not None and deeplink._parts(url) is not None
    token = EditorToken(name="X", redirect_uris=url, webhook_url="https://editeur.test:8443/hook")
    token.set_new_token()
    token.full_clean(exclude=["pages"])
