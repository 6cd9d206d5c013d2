"""A site whose agents log in through mozilla-django-oidc's global ``OIDC_*`` settings
(e.g. ProConnect) keeps working beside the citizens' FranceConnect login."""

import pytest
from django.contrib.auth import get_user_model

from ..fakes import particulier as api
from .conftest import CLIENT_SECRET
from .driver import login_at_provider

pytestmark = [pytest.mark.oidc_provider, pytest.mark.django_db]


@pytest.fixture
def staff_oidc(provider_settings, settings, respx_mock):
    issuer = provider_settings
    settings.ROOT_URLCONF = "tests.oidc_provider.urls_staff"
    settings.AUTHENTICATION_BACKENDS = [
        "mozilla_django_oidc.auth.OIDCAuthenticationBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = "staff-login"
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "ES256"
    settings.OIDC_RP_SCOPES = "openid email"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    settings.LOGIN_REDIRECT_URL = "/admin/"
    respx_mock.route(host="127.0.0.1").pass_through()
    api.particulier_ok(respx_mock, api.DUPONT, fc_tokens=api.AnyToken())  # issued by the node provider


def test_agent_and_citizen_logins_side_by_side(client, staff_oidc, qf_page):
    User = get_user_model()

    # The agent logs in through mozilla-django-oidc: a Django user, in `oidc_states`.
    callback = login_at_provider(client, "/oidc/authenticate/", account="agent")
    response = client.get(callback)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    agent = User.objects.get(email="sandrine.agent@mairie.example")
    assert client.session["_auth_user_id"] == str(agent.pk)
    users = User.objects.count()

    # The citizen's login in the same browser session: no user, its own state key.
    authorize = client.get(qf_page.url + "connexion/")["Location"]
    assert "client_id=wagtail-qf-tests" in authorize
    assert client.session.get("wagtail_qf_fc_states")
    callback = login_at_provider(client, qf_page.url + "connexion/", account="dupont")
    response = client.get(callback)
    assert response["Location"] == qf_page.url + "consentement/"
    assert client.session["wagtail_qf"]["identity"]["family_name"] == "DUPONT"
    assert User.objects.count() == users
    # The citizen login cycles the session key but does not log the agent out.
    assert client.session["_auth_user_id"] == str(agent.pk)
