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


def refusals(page):
    from wagtail.models import PageLogEntry

    return PageLogEntry.objects.filter(page=page, action="wagtail_qf.deep_link_refused")


def test_a_pages_history_keeps_twenty_refused_links_a_day_each_page_its_own(make_qf_page):
    """The README's promise: 20 a day per page at most (a robot must not flood the history), and
    one page's robot does not silence another page's refusals."""
    from wagtail_qf.journey.deeplink import record_refusal

    flooded, other = make_qf_page(slug="inondee"), make_qf_page(slug="autre")
    for _n in range(21):
        record_refusal(flooded, "redirect_uri", "robot.test")
    record_refusal(other, "external_id", "portail.editeur.test")

    assert refusals(flooded).count() == 20
    assert list(refusals(other).values_list("data", flat=True)) == [
        {"reason": "external_id", "host": "portail.editeur.test"}
    ]


@pytest.fixture
def cache_clock(monkeypatch):
    """The cache's clock, moved by hand (the count of refusals lives in the cache a day)."""
    from types import SimpleNamespace

    from django.core.cache.backends import base, locmem

    clock = SimpleNamespace(now=1_000_000.0)
    fake = SimpleNamespace(time=lambda: clock.now)
    monkeypatch.setattr(base, "time", fake)
    monkeypatch.setattr(locmem, "time", fake)
    return clock


def test_the_count_of_refusals_starts_again_a_day_after_the_first(qf_page, cache_clock):
    from wagtail_qf.journey.deeplink import record_refusal

    for _n in range(20):
        record_refusal(qf_page, "redirect_uri", "robot.test")
    cache_clock.now += 24 * 3600 - 1
    record_refusal(qf_page, "redirect_uri", "robot.test")
    assert refusals(qf_page).count() == 20  # the same day: not kept

    cache_clock.now += 2  # a day and a second after the first refusal
    record_refusal(qf_page, "redirect_uri", "robot.test")
    assert refusals(qf_page).count() == 21


def test_refusals_already_in_a_pages_history_stay_readable(qf_page):
    """Entries are stored under the action's name and the reason's key: each recorded reason is
    shown in words, one this version no longer knows as written, with the portal's host."""
    from wagtail.log_actions import log
    from wagtail.log_actions import registry as log_actions

    for reason in ("external_id", "redirect_uri", "journey", "ancien_motif"):
        log(
            instance=qf_page,
            action="wagtail_qf.deep_link_refused",
            data={"reason": reason, "host": "portail.test"},
        )

    assert log_actions.get_action_label("wagtail_qf.deep_link_refused") == "Lien profond refusé"
    assert [entry.message for entry in refusals(qf_page).order_by("pk")] == [
        f"Lien d'un portail famille refusé : {reason} (portail : portail.test)."
        for reason in (
            "identifiant de la famille (external_id) absent ou mal formé",
            "adresse de retour (redirect_uri) qu'aucun éditeur de cette page n'a enregistrée",
            "un autre lien alors qu'une démarche était en cours",
            "ancien_motif",
        )
    ]


REFUSED_NOTICE = "Le lien de votre portail famille n'a pas pu être pris en compte"


def test_a_start_page_opened_without_a_link_says_nothing_of_one(client, qf_page, make_token):
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    assert REFUSED_NOTICE not in start(client, qf_page).content.decode()
    refused = start(client, qf_page, external_id="FAM-1", redirect_uri="https://evil.test/")
    assert REFUSED_NOTICE in refused.content.decode()


def test_a_rate_limited_link_is_logged_but_not_kept_in_the_pages_history(client, qf_page, settings, caplog):
    """A robot over the limit must not fill the webmaster's history (the logs say it)."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"deeplink": (1, 10**9)}}
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        for _n in range(3):
            start(client, qf_page, external_id="FAM-1", redirect_uri="https://evil.test/")
    assert [entry.data["reason"] for entry in refusals(qf_page)] == ["redirect_uri"]
    assert caplog.text.count("reason=rate_limited") == 2


@pytest.mark.parametrize(
    "uri",
    [
        "https://[::1/retour",  # not even split into parts (an unclosed IPv6 address)
        "ftp://portail.editeur.test/retour",  # a host, but not a web address
        "javascript://portail.editeur.test/%0aalert(1)",
    ],
)
def test_the_history_names_no_host_for_what_is_not_a_web_address(client, qf_page, make_token, uri):
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    start(client, qf_page, external_id="FAM-1", redirect_uri=uri)
    assert [entry.data for entry in refusals(qf_page)] == [{"reason": "redirect_uri", "host": "-"}]


def test_the_history_names_the_host_of_a_refused_web_address(client, qf_page, make_token):
    """The webmaster's clue: which portal sent a link no editor registered (http or https)."""
    make_token(qf_page, redirect_uris="https://portail.editeur.test/")
    for uri in ("http://portail.editeur.test/retour", "https://autre.editeur.test/retour"):
        start(client, qf_page, external_id="FAM-1", redirect_uri=uri)
    assert [entry.data["host"] for entry in refusals(qf_page).order_by("pk")] == [
        "portail.editeur.test",
        "autre.editeur.test",
    ]
