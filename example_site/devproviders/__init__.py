"""Development providers: a FranceConnect-like OpenID provider and an API Particulier fake.

For the demo and the tests only. Every view answers 404 unless both
``DEBUG`` and ``WAGTAIL_QF["DEV_PROVIDERS"]`` are on, and wagtail_qf refuses to
start with ``DEV_PROVIDERS`` on and ``DEBUG`` off.
"""
