"""A sites-conformes site with wagtail-qf added, as the README's « Ajouter wagtail-qf à un site
sites-conformes » says (run by ``scripts/sites-conformes``, in its own virtualenv, on PostgreSQL).

Read from sites-conformes 3.1.1rc1's own ``sites_conformes/config/settings.py``: its apps (under
their packaged names ``sites_conformes.*``, its settings still say ``content_manager``, ``blog``…),
middleware, context processors and Wagtail settings; then wagtail-qf with the development
providers, set up as in ``tests/settings.py``.
"""

import os
from pathlib import Path

import dj_database_url
import sites_conformes

from ..fakes.devproviders import SETTINGS as DEV_PROVIDERS_SETTINGS

PROJECT_DIR = Path(__file__).resolve().parents[2]
# Where sites-conformes' commands expect the collected static files: ``staticfiles/`` of the
# working directory (the session fixture works there).
SITE_DIR = Path(os.environ.get("QF_SITES_CONFORMES_DIR", PROJECT_DIR / "var" / "sites-conformes"))

DEBUG = False
SECRET_KEY = "tests-only-secret-key-" + "z" * 30
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    # wagtail-qf's development providers (FranceConnect and API Particulier fakes), first as in
    # tests/settings.py.
    "example_site.devproviders",
    # sites-conformes' apps, in its order ("the order is important for overriding templates").
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.snippets",
    "wagtail",
    "wagtailmarkdown",
    "wagtailmenus",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail_modeladmin",
    "taggit",
    "modelcluster",
    "wagtail.api.v2",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.sessions",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "sites_conformes",
    "sites_conformes.core",
    "sites_conformes.content_manager",
    "sites_conformes.blog",
    "sites_conformes.events",
    "sites_conformes.forms",
    "sites_conformes.menus",
    "wagtail_honeypot",
    "sites_conformes.dashboard",
    "wagtail.admin",
    # wagtail-qf and its task queue.
    "wagtail_qf",
    "django_tasks",
    # The root tests/conftest.py imports tests/factories.py, which imports this app's page type.
    "tests.testapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "tests.sites_conformes.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "wagtailmenus.context_processors.wagtailmenus",
                # Its README says sites_conformes.core.context_processors: 3.1.1rc1 has them here.
                "sites_conformes.content_manager.context_processors.skiplinks",
                "sites_conformes.content_manager.context_processors.mega_menus",
            ],
        },
    },
]

# Its migrations need PostgreSQL (django.contrib.postgres): scripts/with-postgres sets DATABASE_URL.
DATABASES = {"default": dj_database_url.config(conn_max_age=0)}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES = [("en", "English"), ("fr", "Français")]

STATIC_URL = "/static/"
STATIC_ROOT = SITE_DIR / "staticfiles"
MEDIA_URL = "/medias/"
MEDIA_ROOT = SITE_DIR / "medias"

# The settings its code and templates read.
BASE_DIR = Path(sites_conformes.__file__).parent  # its page templates (content_manager/page_templates)
TESTING = True
HOST_PROTO = "http"
HOST_URL = "localhost"
HOST_PORT = ""
FORCE_SCRIPT_NAME = ""
PROCONNECT_ACTIVATED = False
SF_DISABLE_TUTORIALS = True
SF_DISABLE_LOCAL_LOGIN = False
SF_SCHEME_DEPENDENT_SVGS = False
HONEYPOT_ENABLED_DEFAULT = True
WAGTAIL_SITE_NAME = "Sites Conformes"
WAGTAILADMIN_PATH = "cms-admin/"
WAGTAILADMIN_BASE_URL = "http://localhost"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
LOGIN_URL = f"/{WAGTAILADMIN_PATH}login/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = False
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILMENUS_FLAT_MENUS_EDITABLE_IN_WAGTAILADMIN = False
WAGTAILMENUS_MAIN_MENUS_EDITABLE_IN_WAGTAILADMIN = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
DSFR_USE_INTEGRITY_CHECKSUMS = False
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The development providers answer only with DEBUG and DEV_PROVIDERS on: the tests switch both
# on (override_settings), as tests/devproviders does.
DEV_PROVIDERS = False
# No DESIGN nor BASE_TEMPLATE: django-dsfr and sites_conformes.core being installed, the citizen
# pages extend the sites-conformes adapter on their own (wagtail_qf/design.py).
WAGTAIL_QF = DEV_PROVIDERS_SETTINGS
