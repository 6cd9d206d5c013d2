"""Review b2: the agents of an intercommunal page: its commune filter and its counter."""

import pytest

from wagtail_qf.models import ServedCommune

pytestmark = pytest.mark.django_db


def test_commune_filter_offers_no_commune_for_the_epci_itself(make_agent, two_communes):
    """The intercommunal page's own « commune » fields name the EPCI (« Rennes Métropole », the
    COG of its seat): its dossiers are all of a served commune, so the filter must not offer the
    EPCI as a commune, nor name Rennes' own dossiers (the other page) « Rennes Métropole »."""
    from wagtail_qf.admin.filters import commune_choices

    _home_a, page_a, _home_b, _page_b = two_communes
    type(page_a).objects.filter(pk=page_a.pk).update(commune_name="Rennes Métropole", commune_cog="35238")
    for order, cog in enumerate(["35051", "35024"]):
        commune = ServedCommune(page=page_a, sort_order=order, cog=cog)
        commune.clean()
        commune.save()
    agent = make_agent("sandrine", page_a.get_parent())
    assert commune_choices(agent) == [("35024", "Betton (35024)"), ("35051", "Cesson-Sévigné (35051)")]


def test_counter_dossier_on_an_intercommunal_page_is_for_a_served_commune(
    client, two_communes, make_agent, respx_mock
):
    """The agent of the communauté de communes creates a dossier at the counter for a family of
    Betton: the dossier must be Betton's (commune filter, HubEE branch code, PDF), never the EPCI's
    name under its seat's code (« Communauté de communes (35051) »), which is no commune."""
    from tests.admin.test_counter import COUNTER, COUNTER_PERMS, IDENTITY, RESULT, token
    from tests.fakes import particulier as api
    from wagtail_qf.models import Submission

    _home_a, page_a, _home_b, _page_b = two_communes
    type(page_a).objects.filter(pk=page_a.pk).update(commune_name="Communauté de communes")
    for order, cog in enumerate(["35051", "35024"]):
        commune = ServedCommune(page=page_a, sort_order=order, cog=cog)
        commune.clean()
        commune.save()
    page_a.refresh_from_db()
    page_a.save()
    agent = make_agent("sandrine", page_a.get_parent(), perms=COUNTER_PERMS)
    client.force_login(agent)
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    html = client.get(COUNTER).content.decode()
    # The counter asks for the family's commune among the served ones, as the citizen's page does.
    assert "Betton" in html
    # Without it, or with a commune the page does not serve: said, and nothing asked of API Particulier.
    for other in ("", "35238"):
        response = client.post(COUNTER, {**IDENTITY, "page": page_a.pk, "commune_residence": other})
        assert response.status_code == 400
        assert "Choisissez la commune de résidence de la famille parmi celles que dessert la page." in (
            response.content.decode()
        )
    response = client.post(COUNTER, {**IDENTITY, "page": page_a.pk, "commune_residence": "35024"})
    assert response.status_code == 302
    client.post(RESULT, {"form_token": token(client), "children": [], "email": "famille@example.fr"})
    submission = Submission.objects.get()
    assert (submission.commune_cog, submission.commune_name) == ("35024", "Betton")
