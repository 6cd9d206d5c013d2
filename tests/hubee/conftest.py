"""The HubEE fake for every test of this folder: patched in at the transport (respx), with the
site's ``HUBEE`` settings pointing at it. A module changes what it needs by overriding
``hubee_settings`` (the settings) or ``hubee_options`` (the fake's own rules)."""

import pytest

from tests.fakes.hubee import SETTINGS, HubEEFake


@pytest.fixture
def hubee_settings():
    return SETTINGS


@pytest.fixture
def hubee_options():
    return {}


@pytest.fixture
def hubee(settings, hubee_settings, hubee_options):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": hubee_settings}
    fake = HubEEFake(**hubee_options)
    with fake.router:
        yield fake


@pytest.fixture
def transmit(make_qf_page, django_capture_on_commit_callbacks):
    """Transmit a dossier as the quotient step does (receivers run after commit)."""
    from wagtail_qf.dossiers.creation import create_submission
    from wagtail_qf.franceconnect.identity import CitizenIdentity
    from wagtail_qf.particulier.types import QFResult, QuotientFamilial

    def run(forward=True, token="t1"):
        page = make_qf_page(forward_to_hubee=forward, slug=f"qf-{token}")
        identity = CitizenIdentity(
            sub="s", given_name="Paul Louis", family_name="DUPONT", birthdate="1980-06-15"
        )
        result = QFResult(QuotientFamilial("CNAF", 1234, 2026, 11), (), (), None, raw={})
        with django_capture_on_commit_callbacks(execute=True):
            return create_submission(page, identity, result, [], token)

    return run


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run ``action`` and what waits for its commit (the e-mails to the family)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
