"""The citizen pages' layout follows WAGTAIL_QF["DESIGN"]."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "design, expected, absent",
    [
        ("dsfr", ["fr-header", "dsfr.min.css", "fr-connect", "fr-callout"], ["wagtail_qf/qf.css"]),
        ("standalone", ["wagtail_qf/qf.css", "qf-header"], ["fr-header", "dsfr.min.css"]),
        ("auto", ["fr-header"], []),  # tests install django-dsfr
    ],
)
def test_layout_follows_the_setting(client, qf_page, design, expected, absent):
    with override_settings(WAGTAIL_QF={"DESIGN": design}):
        html = client.get(qf_page.url).content.decode()
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text
