"""Development providers: a FranceConnect-like OpenID provider and an API Particulier fake.

For the demo and the tests only, part of the example site (wagtail_qf knows nothing
of them). Every view answers 404 unless both ``DEBUG`` and the ``DEV_PROVIDERS``
setting are on in a development configuration, and the site refuses to start with
``DEV_PROVIDERS`` on and ``DEBUG`` off, a production settings module, or ``ALLOWED_HOSTS``
naming other hosts than this machine (``guard``).
"""
