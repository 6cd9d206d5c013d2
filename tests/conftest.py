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
