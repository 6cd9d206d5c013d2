"""The application servers of the two-server test and of the journey load test: the production
settings as they are (environment included), with e-mails written to files, so that the test
counts them."""

import os

from example_site.settings.production import *  # noqa: F401,F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["QF_EMAIL_DIR"]
