import pytest

from ..admin.conftest import make_agent, make_submission, now, two_communes  # noqa: F401  (shared fixtures)
from ..journey.conftest import logged_in  # noqa: F401


@pytest.fixture
def make_token(db):
    """An editor token for ``pages``; returns (token, clear token)."""
    from wagtail_qf.models import EditorToken

    def make(*pages, **fields):
        token = EditorToken(name=fields.pop("name", "Éditeur X"), **fields)
        clear = token.set_new_token()
        token.full_clean()
        token.save()
        token.pages.set(pages)
        return token, clear

    return make


@pytest.fixture
def api(client):
    """GET on the API with a bearer token."""

    def get(path, token=None, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.get("/qf/api/v1/" + path, params, **headers)

    return get
