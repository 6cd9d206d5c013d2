import pytest


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
    """Factory of published QF pages under the test site's home page."""
    from wagtail_qf.models import QFTransmissionPage

    def make(parent=None, **fields):
        values = {
            "title": "Quotient familial",
            "slug": "quotient-familial",
            "commune_name": "Cesson-Sévigné",
            "commune_cog": "35051",
            "commune_postcode": "35510",
            "siret": "21350051800013",
        }
        values.update(fields)
        page = (parent or home_page).add_child(instance=QFTransmissionPage(**values))
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def qf_page(make_qf_page):
    return make_qf_page()
