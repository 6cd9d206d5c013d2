"""A sites-conformes site, built once per session as the README's steps say (« Ajouter wagtail-qf à
un site sites-conformes »): migrate on PostgreSQL, collectstatic, its starter pages, its site title,
then a QF page under its home page.

Run by ``scripts/sites-conformes`` only (its own virtualenv, a throw-away PostgreSQL): the main
suite does not collect this folder (``tests/conftest.py``).

The throw-away database of ``scripts/with-postgres`` is used as it is (no ``test_`` copy). Its
migrations take minutes on this machine, so the migrated schema is kept as a SQL dump in
``var/sites-conformes/``, named after a hash of every installed app's migration files: a run with
the same migrations loads the dump, any changed migration migrates again.
"""

import glob
import hashlib
import inspect
import os
import shutil
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

if not find_spec("sites_conformes"):
    raise pytest.UsageError("tests/sites_conformes runs in its own virtualenv: scripts/sites-conformes")

SITE_TITLE = "Mairie de Sainte-Hôte"
SITE_TAGLINE = "Le site de la commune"


def _migrations_key() -> str:
    """A hash of the migration files of every installed app (names and contents)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    for key, migration in sorted(
        MigrationLoader(connection, ignore_no_migrations=True).disk_migrations.items()
    ):
        digest.update(repr(key).encode())
        digest.update(Path(inspect.getfile(type(migration))).read_bytes())
    return digest.hexdigest()[:16]


def _pg(tool: str, *args: str) -> None:
    """A PostgreSQL client of Debian's newest server (the one scripts/with-postgres starts)."""
    bin_dir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))[-1]
    subprocess.run([f"{bin_dir}/{tool}", *args, os.environ["DATABASE_URL"]], check=True)


def _migrate() -> None:
    """``migrate``, or the dump of the same migrations' result."""
    dump = settings.SITE_DIR / f"migrated-{_migrations_key()}.sql"
    if dump.exists():
        _pg("psql", "--quiet", "--set=ON_ERROR_STOP=1", f"--file={dump}", "--output=/dev/null", "--dbname")
        return
    call_command("migrate", interactive=False, verbosity=0)
    for old in settings.SITE_DIR.glob("migrated-*.sql"):
        old.unlink()
    _pg("pg_dump", "--no-owner", f"--file={dump}")


def _build_site() -> None:
    """What a webmaster does once: its static files, its starter pages (home page, legal pages,
    contact page and menus), its site title in *Configuration du site*."""
    from sites_conformes.content_manager.models import CmsDsfrConfig
    from wagtail.models import Site

    call_command("collectstatic", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    cwd = os.getcwd()
    os.chdir(settings.SITE_DIR)  # its commands read the collected pictograms from ./staticfiles/
    try:
        call_command("create_starter_pages", verbosity=0)
    finally:
        os.chdir(cwd)
    _add_legal_pages_to_the_footer()
    site = Site.objects.get(is_default_site=True)
    CmsDsfrConfig.objects.update_or_create(
        site=site, defaults={"site_title": SITE_TITLE, "site_tagline": SITE_TAGLINE}
    )


def _add_legal_pages_to_the_footer() -> None:
    """The starter pages mean to link the legal pages in the footer, but 3.1.1rc1's
    ``create_starter_pages`` never saves that menu: the webmaster adds them in its admin."""
    from sites_conformes.content_manager.models import ContentPage
    from sites_conformes.content_manager.services.accessors import get_or_create_footer_bottom_menu

    menu = get_or_create_footer_bottom_menu()
    for page in ContentPage.objects.filter(slug__in=["mentions-legales", "accessibilite"]).order_by("pk"):
        menu.items.append(("link", {"text": page.title, "page": page, "link_type": "page"}))
    menu.save()


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    """The sites-conformes site, in the throw-away database (see the module's docstring)."""
    settings.SITE_DIR.mkdir(parents=True, exist_ok=True)
    with django_db_blocker.unblock():
        _migrate()
        _build_site()


@pytest.fixture
def home_page(db):
    """sites-conformes' home page (its starter pages' ``home``)."""
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def qf_page(home_page):
    """A QF page under its home page, in its main menu as a webmaster would add it."""
    from sites_conformes.content_manager.services.accessors import get_or_create_main_menu

    from ..factories import QFPageFactory

    page = QFPageFactory(parent=home_page, title="Quotient familial", slug="quotient-familial")
    menu = get_or_create_main_menu()
    menu.items.append(("link", {"text": "Quotient familial", "page": page, "link_type": "page"}))
    menu.save()
    return page


# The browser fixtures of tests/e2e (Debian's Chromium, axe-core), reused as they are.
from ..e2e.conftest import axe, axe_source, browser, browser_page  # noqa: E402, F401 -- fixtures for pytest
