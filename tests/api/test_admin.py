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
    response = client.post(
        URL + "new/",
        {
            "name": "Portail Famille X",
            "pages": [qf_page.pk],
            "is_active": "on",
            "webhook_url": "https://editeur.test/hook",
            "redirect_uris": "https://portail.test/famille/",
        },
        follow=True,
    )
    assert response.status_code == 200
    token = EditorToken.objects.get()
    assert list(token.pages.values_list("pk", flat=True)) == [qf_page.pk]
    message = [str(m.message) for m in response.context["messages"]][0]
    clear = message.split("<code>")[1].split("</code>")[0]
    assert hash_token(clear) == token.token_hash
    assert token.webhook_secret in message
    # Never again.
    assert clear not in client.get(URL).content.decode()
    assert clear not in client.get(URL + f"edit/{token.pk}/").content.decode()


def test_create_refuses_http_webhook(client, superuser, qf_page):
    client.force_login(superuser)
    response = client.post(
        URL + "new/", {"name": "X", "pages": [qf_page.pk], "webhook_url": "http://editeur.test/hook"}
    )
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


def test_a_renewed_token_leaves_who_and_when_in_its_history(client, superuser, make_token, qf_page):
    """Replacing a lost or leaked token is a security event: the token's history says who did it."""
    token, _old = make_token(qf_page)
    client.force_login(superuser)
    client.post(URL + f"{token.pk}/nouveau-jeton/")
    response = client.get(URL + f"history/{token.pk}/")
    assert response.status_code == 200
    history = response.content.decode()
    assert "a remplacé le jeton de l’éditeur" in history.lower() and "root" in history


# -- A token reads only the pages its author may edit (issue 14, item 6) -----------------------
# A user given the editor-token permissions chooses among the QF pages they may edit; a
# token that also reads another commune's pages is out of their reach (not listed, edited,
# renewed nor deleted): changing or renewing it would hand them, or an editor of their
# choice, that commune's dossiers.

TOKEN_PERMS = ("add_editortoken", "change_editortoken", "delete_editortoken", "view_editortoken")


@pytest.fixture
def integrator(make_agent, two_communes):
    """Commune A's webmaster, given the editor-token permissions."""
    return make_agent("webmestre", two_communes[0], perms=TOKEN_PERMS)


def _form(pages, **fields):
    return {
        "name": "Portail Famille X",
        "pages": [p.pk for p in pages],
        "is_active": "on",
        "webhook_url": "",
        "redirect_uris": "",
        **fields,
    }


def test_token_form_offers_only_the_pages_the_user_may_edit(client, integrator, two_communes):
    _home_a, page_a, _home_b, page_b = two_communes
    client.force_login(integrator)
    html = client.get(URL + "new/").content.decode()
    assert f'value="{page_a.pk}"' in html and page_a.title in html
    assert f'value="{page_b.pk}"' not in html and page_b.title not in html


def test_forged_post_never_grants_another_communes_page(client, integrator, two_communes):
    _home_a, page_a, _home_b, page_b = two_communes
    client.force_login(integrator)
    for pages in ([page_b], [page_a, page_b]):
        response = client.post(URL + "new/", _form(pages))
        assert response.status_code == 200 and response.context["form"].errors.get("pages")
    assert not EditorToken.objects.exists()
    response = client.post(URL + "new/", _form([page_a]))
    assert response.status_code == 302
    assert list(EditorToken.objects.get().pages.values_list("pk", flat=True)) == [page_a.pk]


def test_token_of_another_commune_is_out_of_reach(client, integrator, make_token, two_communes):
    _home_a, page_a, _home_b, page_b = two_communes
    shared, clear = make_token(page_a)
    shared.pages.add(page_b)
    client.force_login(integrator)
    assert shared.name not in client.get(URL).content.decode()
    for url in (f"edit/{shared.pk}/", f"delete/{shared.pk}/", f"history/{shared.pk}/", f"usage/{shared.pk}/"):
        assert client.get(URL + url).status_code == 404, url
    forged = _form([page_a], webhook_url="https://pirate.test/")
    assert client.post(URL + f"edit/{shared.pk}/", forged).status_code == 404
    assert client.post(URL + f"{shared.pk}/nouveau-jeton/").status_code == 404
    assert client.post(URL + f"delete/{shared.pk}/").status_code == 404
    shared.refresh_from_db()
    assert set(shared.pages.values_list("pk", flat=True)) == {page_a.pk, page_b.pk}
    assert shared.webhook_url == "" and shared.token_hash == hash_token(clear)


def test_token_of_the_users_own_pages_stays_manageable(client, integrator, make_token, two_communes):
    _home_a, page_a, _home_b, _page_b = two_communes
    token, clear = make_token(page_a)
    client.force_login(integrator)
    assert token.name in client.get(URL).content.decode()
    response = client.post(URL + f"edit/{token.pk}/", _form([page_a], name="Portail renommé"))
    assert response.status_code == 302
    assert client.post(URL + f"{token.pk}/nouveau-jeton/").status_code == 302
    token.refresh_from_db()
    assert token.name == "Portail renommé" and token.token_hash != hash_token(clear)
