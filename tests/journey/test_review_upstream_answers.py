"""Found in review: an API Particulier answer whose quotient cannot be a real one (a negative or
absurd amount, a thirteenth month) is an unreadable answer, told to the citizen at once with the
way forward; it never reaches a dossier (which cannot store it, or whose summary then fails)."""

import pytest

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db

FAMILY = {
    "allocataires": [api.person("DUPONT", "PAUL LOUIS", "1980-06-15", "M")],
    "enfants": [],
}


@pytest.mark.parametrize(
    "quotient",
    [{"valeur": -5}, {"valeur": 10**30}, {"mois": 13}, {"mois": 0}],
    ids=["negative", "absurd", "month-13", "month-0"],
)
def test_an_impossible_quotient_is_an_unreadable_answer(client, respx_mock, qf_page, quotient):
    api.particulier_ok(respx_mock, api.answer(**FAMILY, **quotient))
    fc = FakeFranceConnect(respx_mock)
    assert client.get(fc.authorize(client, qf_page.url + "connexion/")).status_code == 302
    response = client.get(qf_page.url + "quotient/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "incomplète ou illisible" in body
    assert 'name="form_token"' not in body  # nothing to transmit
    assert client.session["wagtail_qf"]["pages"][str(qf_page.pk)]["error"]["code"] == "malformed"
