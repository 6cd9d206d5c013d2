"""An agent reads why a deposit on HubEE failed in words, not as a code (« erreur http_503 »)."""

import pytest
from django.urls import reverse
from django.utils import translation

from wagtail_qf.dossiers import history
from wagtail_qf.models import HubEEForwarding, HubEEState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("http_503", "HubEE indisponible"),
        ("timeout", "HubEE n'a pas répondu à temps"),
        ("http_422", "demande refusée par HubEE"),
        ("dossier_withdrawn", "dossier supprimé ou anonymisé pendant l'envoi"),
    ],
)
def test_a_failed_deposit_says_why_in_words(admin_client, qf_page, make_submission, code, said):
    dossier = make_submission(qf_page)
    HubEEForwarding.objects.create(submission=dossier, state=HubEEState.FAILED, last_error=code, attempts=6)
    with translation.override("fr"):
        (line,) = [entry.message for entry in history.entries(dossier) if "HubEE" in entry.message]
    assert said in line and code not in line
    html = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    assert said.replace("'", "&#x27;") in html and f"erreur {code}" not in html
