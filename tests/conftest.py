"""Fixtures shared by every test folder (the factories behind them: ``tests/factories.py``)."""

import time
from importlib.util import find_spec

import pytest

from .factories import (
    IDENTITY,
    AgentFactory,
    EditorTokenFactory,
    QFPageFactory,
    SubmissionFactory,
    serve_communes,
)

# tests/sites_conformes needs sites-conformes, installed only in its own virtualenv
# (scripts/sites-conformes): elsewhere it is not collected.
collect_ignore = [] if find_spec("sites_conformes") else ["sites_conformes"]


@pytest.fixture(autouse=True)
def _fresh_qf_settings():
    """Each test starts from freshly merged settings and empty metadata caches."""
    from django.core.cache import cache

    from wagtail_qf.conf import qf_settings

    qf_settings.reload()
    cache.clear()
    yield
    qf_settings.reload()


@pytest.fixture
def home_page(db):
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from example_site.home.models import HomePage

    # Transactional tests flush the tables, root page included: recreate it.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-test"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


@pytest.fixture
def make_qf_page(home_page):
    """Published QF pages under the test site's home page (``QFPageFactory``)."""

    def make(parent=None, **fields):
        return QFPageFactory(parent=parent or home_page, **fields)

    return make


@pytest.fixture
def qf_page(make_qf_page):
    return make_qf_page()


@pytest.fixture
def make_submission(db):
    """Dossiers of a page (``SubmissionFactory``): ``make_submission(page, status="done")``."""

    def make(page, **fields):
        return SubmissionFactory(page=page, **fields)

    return make


@pytest.fixture
def epci(make_qf_page):
    """``epci(cogs, **fields)``: an intercommunal page (Rennes Métropole's by default) serving the
    communes ``cogs``, their names and postcodes from the reference data."""

    def make(cogs, **fields):
        values = {"commune_name": "Rennes Métropole", "commune_cog": "35238", "commune_postcode": "35000"}
        return serve_communes(make_qf_page(**{**values, **fields}), cogs)

    return make


@pytest.fixture
def two_communes(make_qf_page, home_page):
    """Commune A on the default site, commune B on a second site."""
    from wagtail.models import Page, Site

    from example_site.home.models import HomePage

    page_a = make_qf_page(slug="qf-a", title="QF Cesson", commune_name="Cesson-Sévigné")
    home_b = Page.get_first_root_node().add_child(instance=HomePage(title="Rennes", slug="rennes"))
    Site.objects.create(hostname="rennes.test", root_page=home_b, site_name="Rennes")
    page_b = make_qf_page(
        parent=home_b,
        slug="qf-b",
        title="QF Rennes",
        commune_name="Rennes",
        commune_cog="35238",
        commune_postcode="35000",
    )
    return home_page, page_a, home_b, page_b


@pytest.fixture
def make_agent(two_communes):
    """An agent who may edit ``home``'s pages (``AgentFactory``): ``make_agent("sandrine", home)``."""

    def make(username, home, perms=("change_submission", "export_submission")):
        return AgentFactory(username=username, pages=[home], perms=perms)

    return make


@pytest.fixture
def make_token(db):
    """An editor's token reading ``pages`` (``EditorTokenFactory``); returns (token, clear token)."""

    def make(*pages, **fields):
        token = EditorTokenFactory(pages=pages, **fields)
        return token, token.clear

    return make


@pytest.fixture
def api(client):
    """GET on the editors' API with a bearer token."""

    def get(path, token=None, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.get("/qf/api/v1/" + path, params, **headers)

    return get


@pytest.fixture
def settle(db):
    """Time passes: the dossiers made so far enter the editors' API list (``api.views.SETTLING``)."""
    from django.db.models import F

    from wagtail_qf.api.views import SETTLING
    from wagtail_qf.models import Submission

    def run():
        Submission.objects.update(submitted_at=F("submitted_at") - SETTLING)

    return run


@pytest.fixture
def logged_in(client):
    """Put a citizen in the session as the FranceConnect callback would."""

    def login(page, result=None, error=None, ttl=900):
        session = client.session
        page_state = {}
        if result is not None:
            page_state = {"result": result.to_session(), "form_token": "token-" + str(page.pk)}
        if error is not None:
            page_state = {"error": error}
        session["wagtail_qf"] = {
            "identity": IDENTITY,
            "id_token": "header.payload.signature",
            "expires_at": time.time() + ttl,
            "pages": {str(page.pk): page_state},
        }
        session.save()
        return page_state.get("form_token")

    return login


@pytest.fixture
def now():
    from django.utils import timezone

    return timezone.now()
