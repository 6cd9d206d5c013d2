"""« Éditeurs de logiciels » in the admin: superusers only, clear token shown once."""

import pytest

from wagtail_qf.models import EditorToken
from wagtail_qf.models.editors import hash_token

pytestmark = pytest.mark.django_db

URL = "/admin/qf-editeurs/"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@mairie.test", "pw")


def test_create_shows_the_token_once_and_stores_its_hash(client, superuser, qf_page):
    client.force_login(superuser)
    response = client.post(URL + "new/", {
        "name": "Portail Famille X", "pages": [qf_page.pk], "is_active": "on",
        "webhook_url": "https://editeur.test/hook", "redirect_uris": "https://portail.test/famille/",
    }, follow=True)  # fmt: skip
    assert response.status_code == 200
    token = EditorToken.objects.get()
    assert list(token.pages.all()) == [qf_page.specific]
    message = [str(m.message) for m in response.context["messages"]][0]
    clear = message.split("<code>")[1].split("</code>")[0]
    assert hash_token(clear) == token.token_hash
    assert token.webhook_secret in message
    # Never again.
    assert clear not in client.get(URL).content.decode()
    assert clear not in client.get(URL + f"edit/{token.pk}/").content.decode()


def test_create_refuses_http_webhook(client, superuser, qf_page):
    client.force_login(superuser)
    response = client.post(URL + "new/", {"name": "X", "pages": [qf_page.pk],
                                          "webhook_url": "http://editeur.test/hook"})  # fmt: skip
    assert response.status_code == 200 and not EditorToken.objects.exists()


def test_agents_cannot_see_editors(client, make_agent, two_communes):
    home_a = two_communes[0]
    client.force_login(make_agent("alice", home_a))
    assert client.get(URL).status_code in (302, 403)
    assert "Éditeurs de logiciels" not in client.get("/admin/").content.decode()


def test_regenerate_token(client, superuser, make_token, qf_page):
    token, old = make_token(qf_page)
    client.force_login(superuser)
    assert client.get(URL + f"{token.pk}/nouveau-jeton/").status_code == 405
    response = client.post(URL + f"{token.pk}/nouveau-jeton/", follow=True)
    token.refresh_from_db()
    assert token.token_hash != hash_token(old)
    assert EditorToken.authenticate(old) is None
    message = [str(m.message) for m in response.context["messages"]][0]
    assert EditorToken.authenticate(message.split("<code>")[1].split("</code>")[0]) == token
