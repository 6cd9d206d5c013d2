"""The smallest Wagtail site with wagtail-qf, as the README's "Add it to a Wagtail site" says:
SQLite, no extra (no psycopg, redis, dsfr, modeladmin...)."""

import os

DEBUG = False
SECRET_KEY = "install-check-only-" + "x" * 40
ALLOWED_HOSTS = ["testserver", "localhost"]

INSTALLED_APPS = [
    "wagtail_qf",
    "wagtail.contrib.routable_page",
    "django_tasks",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "minimal_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("QF_INSTALL_CHECK_DB", "db.sqlite3"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_TZ = True
STATIC_URL = "/static/"
WAGTAIL_SITE_NAME = "Commune"
WAGTAILADMIN_BASE_URL = "https://qf.commune.test"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CSRF_FAILURE_VIEW = "wagtail_qf.csrf.csrf_failure"  # recommended by the README
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

WAGTAIL_QF = {
    "FRANCECONNECT": {
        "DISCOVERY_URL": "https://fc.invalid/api/v2/.well-known/openid-configuration",
        "CLIENT_ID": "install-check",
        "CLIENT_SECRET": "install-check",
    },
    # The path without FranceConnect: its check in the background finds no API Particulier here
    # (a closed port), and the dossier is made all the same.
    "API_PARTICULIER": {"BASE_URL": "https://127.0.0.1:9", "TOKEN": "install-check", "MAX_RETRIES": 0},
}
