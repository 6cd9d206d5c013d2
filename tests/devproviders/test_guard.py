"""The example site's guard: development providers with DEBUG off stop the start-up and fail the check.

The start-up of the production settings with ``QF_DEV_PROVIDERS=1``: ``tests/test_settings_guard.py``.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from example_site.devproviders.guard import check_not_in_production, refuse_in_production


@override_settings(DEBUG=False, DEV_PROVIDERS=True)
def test_ready_guard_and_system_check_refuse_dev_providers_without_debug():
    with pytest.raises(ImproperlyConfigured, match="DEV_PROVIDERS"):
        refuse_in_production()
    assert [e.id for e in check_not_in_production()] == ["devproviders.E001"]


@override_settings(DEBUG=True, DEV_PROVIDERS=True)
def test_dev_providers_allowed_with_debug():
    refuse_in_production()
    assert check_not_in_production() == []


@override_settings(DEBUG=False, DEV_PROVIDERS=False)
def test_production_without_dev_providers_passes():
    refuse_in_production()
    assert check_not_in_production() == []


def test_the_app_knows_nothing_of_the_development_providers():
    """Their switch is the example site's: ``WAGTAIL_QF`` has no such setting."""
    from wagtail_qf.conf import qf_settings

    with pytest.raises(AttributeError):
        getattr(qf_settings, "DEV_PROVIDERS")  # noqa: B009 -- the lookup is what is tested
