"""A form whose CSRF check fails (a page open for long, opened from another site, cookies refused)
leads the citizen to a French page in the site's layout, with the way back to the journey;
nothing is sent. Other pages (the admin) keep Django's."""

import pytest
from django.test import Client

from wagtail_qf.models import Submission

from ..factories import CHILDREN, family_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded(client):
    """The citizen's browser, its CSRF token lost (the cookies of the journey kept)."""
    visitor = Client(enforce_csrf_checks=True, raise_request_exception=False)
    visitor.cookies = client.cookies
    return visitor


def test_a_refused_form_of_the_journey_says_so_in_french_with_the_way_back(qf_page, logged_in, guarded):
    token = logged_in(qf_page, family_result())
    data = {"form_token": token, "children": [CHILDREN[0].key], "confirm": "on"}
    response = guarded.post(qf_page.url + "quotient/", data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Votre envoi n'a pas été accepté" in html and "rien n'a été envoyé" in html
    assert f'href="{qf_page.url}"' in html  # the way back: the journey, where the session left it
    assert "CSRF" not in html  # no jargon
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert Submission.objects.count() == 0


def test_a_refused_form_of_the_follow_up_also_leads_back_to_its_page(qf_page, guarded):
    response = guarded.post(qf_page.url + "suivi/", {"action": "courriel", "email": "a@example.org"})
    assert response.status_code == 403 and f'href="{qf_page.url}"' in response.content.decode()


def test_other_pages_keep_django_s_refusal(guarded):
    response = guarded.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Votre envoi n'a pas été accepté" not in response.content.decode()
