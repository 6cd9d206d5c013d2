"""The development providers seen by a developer: the guard, the FranceConnect v2 behaviour, the
identity choice page."""

import os
import subprocess
import sys
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from example_site.devproviders.families import IDENTITIES
from example_site.devproviders.guard import check_not_in_production, refuse_in_production

from ..fakes.devproviders import SETTINGS, bridge

ROOT = Path(__file__).resolve().parent.parent.parent
DISCOVERY = "/dev/franceconnect/api/v2/.well-known/openid-configuration"
pytestmark = pytest.mark.django_db

DEV = {"DEBUG": True, "DEV_PROVIDERS": True, "WAGTAIL_QF": SETTINGS}


# -- the guard --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "hosts",
    [["qf.mairie-exemple.fr"], ["*"], ["127.0.0.1", ".mairie-exemple.fr"], ["0.0.0.0"]],  # noqa: S104
)
def test_dev_providers_refuse_hosts_other_than_this_machine(client, hosts):
    """DEBUG on but the site reachable under a public name: anyone could log in as any identity."""
    with override_settings(**DEV, ALLOWED_HOSTS=hosts):
        with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
            refuse_in_production()
        assert [e.id for e in check_not_in_production()] == ["devproviders.E001"]
    with override_settings(**DEV, ALLOWED_HOSTS=[*hosts, "testserver"]):
        assert client.get(DISCOVERY).status_code == 404


def test_dev_providers_refuse_a_production_settings_module(client):
    with override_settings(**DEV, SETTINGS_MODULE="example_site.settings.production"):
        with pytest.raises(ImproperlyConfigured, match="production"):
            refuse_in_production()
        assert check_not_in_production()
        assert client.get(DISCOVERY).status_code == 404


@pytest.mark.parametrize(
    "hosts", [[], ["127.0.0.1", "localhost", "testserver"], ["[::1]", ".localhost", "qf.localhost"]]
)
def test_dev_providers_allowed_on_this_machine(client, hosts):
    with override_settings(**DEV, ALLOWED_HOSTS=hosts):
        refuse_in_production()
        assert check_not_in_production() == []
    with override_settings(**DEV):
        assert client.get(DISCOVERY).status_code == 200


def _django(settings_module, code, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "QF_BASE_URL", "QF_DEV_PROVIDERS")
    }
    environment |= {"DJANGO_SETTINGS_MODULE": settings_module, "DJANGO_SECRET_KEY": "x" * 50, **env}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_do_not_route_the_dev_providers():
    code = (
        "from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/dev/franceconnect/api/v2/authorize')\nexcept Resolver404:\n    print('not routed')"
    )
    result = _django("example_site.settings.production", code, DJANGO_ALLOWED_HOSTS="qf.mairie-exemple.fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not routed"


def test_development_settings_start_with_the_dev_providers():
    result = _django("example_site.settings.dev", "print('started')")
    assert result.returncode == 0, result.stderr


# -- FranceConnect v2 as the reference describes it --------------------------------------------
@pytest.fixture
def dev():
    with override_settings(**DEV):
        yield


def _authorize_params(client, qf_page, respx_mock):
    bridge(respx_mock)
    authorize = client.get(qf_page.url + "connexion/")["Location"]
    return authorize.split("?")[0], {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}


def test_pkce_is_s256_only(client, dev, respx_mock, qf_page):
    """The reference: « PKCE S256 is supported »; a challenge with another method is refused (the
    fake would otherwise check a plain challenge as if it were S256)."""
    url, params = _authorize_params(client, qf_page, respx_mock)
    assert params["code_challenge_method"] == "S256"
    assert client.get(url, params).status_code == 200
    for method in ("plain", ""):
        refused = client.get(url, {**params, "code_challenge_method": method})
        assert refused.status_code == 400
        assert "code_challenge_method" in refused.content.decode()


def test_token_endpoint_wants_the_authorization_code_grant(client, dev, respx_mock, qf_page):
    url, params = _authorize_params(client, qf_page, respx_mock)
    back = client.post(url, {**params, "identity": "test", "login": ""})["Location"]
    code = parse_qs(urlsplit(back).query)["code"][0]
    form = {
        "code": code,
        "client_id": "test-client-id",
        "client_secret": "test-client-secret",
        "redirect_uri": params["redirect_uri"],
    }
    refused = client.post("/dev/franceconnect/api/v2/token", {**form, "grant_type": "password"})
    assert refused.status_code == 400 and refused.json()["error"] == "unsupported_grant_type"


# -- the identity choice: where a developer finds every test identity -------------------------
def test_identity_choice_groups_families_and_errors_and_gives_what_to_type(client, dev, respx_mock, qf_page):
    url, params = _authorize_params(client, qf_page, respx_mock)
    html = unescape(client.get(url, params).content.decode())
    for legend in ("Familles de test", "Erreurs de l'API Particulier", "Erreurs de l'API Impôt particulier"):
        assert f"<legend>{legend}" in html
    for identity in IDENTITIES:
        assert f'id="identity-{identity.key}"' in html
        assert identity.label in html
    # What to type in « Continuer sans FranceConnect » to meet the same family or error.
    assert "DUPONT Paul Louis, né le 15/06/1980" in html
    assert "INCONNUE Jeanne, née le 01/01/1990" in html
    assert "VIDE Anne, née le 10/01/1980" in html and "EFFACE Bruno, né le 11/02/1981" in html
    assert html.index('id="identity-test"') < html.index('id="identity-inconnu"')  # a family first
