"""The development providers alone, in their own process (the two-server test and the
journey load test): FranceConnect, API Particulier and DGFiP fakes under ``/dev/``, nothing
else. The application servers reach them over HTTP as they would reach the real services,
so a load test measures the application, not the fakes served by it.

The development settings' switches are kept (``DEBUG`` and ``DEV_PROVIDERS`` on: the guard of
``example_site.devproviders`` refuses them otherwise), so this process is never a
production one; the client identifiers and tokens are those of the development settings,
given to the application servers through their environment.
"""

from .dev import *  # noqa: F401,F403

ROOT_URLCONF = "example_site.devproviders.standalone_urls"
