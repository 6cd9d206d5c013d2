"""Wagtail's site history never shows a commune's webmaster the editor tokens of another commune.

The tokens' own admin lists, edits and shows the history of only the tokens reading the user's
pages (``tokens_for_user``); the site history, its filters and its exports keep to the same rule.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from wagtail_qf.models import EditorToken

pytestmark = pytest.mark.django_db

URL = "/admin/qf-editeurs/"
SITE_HISTORY = "/admin/reports/site-history/"
TOKEN_PERMS = ("add_editortoken", "change_editortoken", "delete_editortoken", "view_editortoken")


def _form(name, page):
    return {"name": name, "pages": [page.pk], "is_active": "on", "webhook_url": "", "redirect_uris": ""}


@pytest.fixture
def webmasters(make_agent, two_communes):
    home_a, page_a, home_b, page_b = two_communes
    return {
        "a": make_agent("cessonnaise", home_a, perms=TOKEN_PERMS),
        "b": make_agent("rennaise", home_b, perms=TOKEN_PERMS),
        "page_a": page_a,
        "page_b": page_b,
    }


def _text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_site_history_shows_a_webmaster_only_the_tokens_of_their_communes(client, webmasters):
    client.force_login(webmasters["b"])
    client.post(URL + "new/", _form("Portail Famille de Rennes", webmasters["page_b"]), follow=True)
    theirs = EditorToken.objects.get()
    client.post(
        URL + f"edit/{theirs.pk}/", _form("Portail Famille de Rennes v2", webmasters["page_b"]), follow=True
    )
    client.force_login(webmasters["a"])
    client.post(URL + "new/", _form("Portail Famille de Cesson", webmasters["page_a"]), follow=True)
    token_type = ContentType.objects.get_for_model(EditorToken).pk
    for url in (
        SITE_HISTORY,
        SITE_HISTORY + "results/",
        SITE_HISTORY + "?export=csv",
        SITE_HISTORY + f"?object_type={token_type}",
        SITE_HISTORY + f"?user={webmasters['b'].pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        assert "Portail Famille de Rennes" not in text, url
        assert "Rennaise" not in text, url  # nor who made it (the user filter included)
    assert "Portail Famille de Cesson" in _text(client.get(SITE_HISTORY))
    # The token's own history still tells its author what was done to it.
    client.force_login(webmasters["b"])
    assert "Portail Famille de Rennes v2" in _text(client.get(URL + f"history/{theirs.pk}/"))


def test_a_user_without_the_token_permissions_sees_no_token_in_the_site_history(
    client, webmasters, make_agent, two_communes
):
    client.force_login(webmasters["a"])
    client.post(URL + "new/", _form("Portail Famille de Cesson", webmasters["page_a"]), follow=True)
    client.force_login(make_agent("agente", two_communes[0]))  # sees the dossiers of A, not the tokens
    assert "Portail Famille de Cesson" not in _text(client.get(SITE_HISTORY))


def test_a_superuser_sees_every_token_in_the_site_history(client, webmasters, admin_user):
    client.force_login(webmasters["b"])
    client.post(URL + "new/", _form("Portail Famille de Rennes", webmasters["page_b"]), follow=True)
    client.force_login(admin_user)
    assert "Portail Famille de Rennes" in _text(client.get(SITE_HISTORY))
