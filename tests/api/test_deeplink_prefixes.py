"""The deep link's prefixes and decoding at their edges: a whole-host prefix, a path encoded
several times, a half-given link (issue 23: mutation testing of ``journey/deeplink.py``).

The ordinary cases are in ``test_deeplink.py``."""

import pytest

from .test_deeplink import portal, start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["https://portail.editeur.test", "https://portail.editeur.test/"])
def test_a_prefix_naming_only_the_host_allows_any_path_of_it(client, qf_page, make_token, prefix):
    make_token(qf_page, redirect_uris=prefix)
    uri = "https://portail.editeur.test/famille/retour?x=1"
    start(client, qf_page, external_id="FAM-1", redirect_uri=uri)
    assert portal(client, qf_page) == {"external_id": "FAM-1", "redirect_uri": uri}


def test_a_whole_host_prefix_allows_the_host_itself(client, qf_page, make_token):
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    start(client, qf_page, external_id="FAM-1", redirect_uri="https://portail.editeur.test")
    assert portal(client, qf_page) is not None


def test_a_whole_host_prefix_allows_no_other_host(client, qf_page, make_token):
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    start(client, qf_page, external_id="FAM-1", redirect_uri="https://autre.editeur.test/famille/")
    assert portal(client, qf_page) is None


@pytest.mark.parametrize(
    "path, accepted",
    [
        ("%252541", True),  # "A" encoded three times: decoded as far as a server may
        ("%25252541", False),  # still encoded after three decodings: where it leads is unsure
        ("%25252e%25252e/x", False),
        ("x%7f", False),  # DEL, a control character
        ("x%7e", True),  # "~", the last printable one
    ],
)
def test_a_path_is_decoded_three_times_at_most(client, qf_page, make_token, path, accepted):
    make_token(qf_page, redirect_uris="https://portail.editeur.test/famille/")
    uri = "https://portail.editeur.test/famille/" + path
    start(client, qf_page, external_id="FAM-1", redirect_uri=uri)
    assert (portal(client, qf_page) is not None) is accepted


@pytest.mark.parametrize(
    "params", [{"external_id": "FAM-1"}, {"redirect_uri": "https://portail.editeur.test/"}]
)
def test_a_half_given_link_is_refused_and_logged(client, qf_page, make_token, params, caplog):
    """The editor's support can tell from the logs why their link was not taken."""
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        start(client, qf_page, **params)
    assert portal(client, qf_page) is None
    assert "deep link refused" in caplog.text


def test_a_page_without_deep_link_logs_nothing(client, qf_page, caplog):
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        start(client, qf_page)
    assert "deep link" not in caplog.text


def test_a_stored_prefix_the_policy_now_refuses_allows_nothing(client, qf_page, make_token):
    """A prefix saved under DEBUG (http) or before a stricter policy must not open every URI."""
    from wagtail_qf.models import EditorToken

    token, _ = make_token(qf_page, redirect_uris="https://portail.editeur.test/famille/")
    EditorToken.objects.filter(pk=token.pk).update(redirect_uris="http://portail.editeur.test/famille/")
    for uri in ("https://evil.test/", "https://portail.editeur.test/famille/"):
        start(client, qf_page, external_id="FAM-1", redirect_uri=uri)
        assert portal(client, qf_page) is None


def test_a_refused_link_logs_its_host_never_its_address(client, qf_page, make_token, caplog):
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        start(client, qf_page, external_id="FAM-1", redirect_uri="https://evil.test/vol?famille=DUPONT")
        start(client, qf_page, external_id="FAM-1", redirect_uri="pas une adresse")
    first, second = caplog.records
    assert "reason=redirect_uri host=evil.test" in first.getMessage()
    assert "DUPONT" not in caplog.text and "/vol" not in caplog.text
    assert second.getMessage().endswith("reason=redirect_uri host=-")


def test_a_refused_family_id_says_so_in_the_logs(client, qf_page, make_token, caplog):
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        start(client, qf_page, external_id="FAM 1", redirect_uri="https://portail.editeur.test/")
    assert "reason=external_id host=portail.editeur.test" in caplog.text


def test_the_way_back_keeps_the_portals_own_query_whole(client, qf_page, make_token, logged_in):
    """Blank parameters included: the portal gets back the very address it gave."""
    from urllib.parse import parse_qs, urlsplit

    from .test_deeplink import portal_link

    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    uri = "https://portail.editeur.test/retour?vide=&lang=fr"
    start(client, qf_page, external_id="FAM-7", redirect_uri=uri)
    logged_in(qf_page, error={"class": "NotFound", "code": "not_found", "status": 404})
    link = portal_link(client.get(qf_page.url + "quotient/").content.decode())
    assert parse_qs(urlsplit(link).query, keep_blank_values=True) == {
        "vide": [""],
        "lang": ["fr"],
        "external_id": ["FAM-7"],
        "status": ["cancelled"],
    }
