"""Without FranceConnect (identity form, counter) the tax and crèche data cannot be obtained: the
dossier says so, and the agent, the exports and the editors' API show it."""

import pytest
from django.urls import reverse

from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.dossiers.creation import save_submission
from wagtail_qf.dossiers.serializers import dossier_of
from wagtail_qf.franceconnect.identity import CitizenIdentity
from wagtail_qf.models import Submission
from wagtail_qf.models.submissions import Source
from wagtail_qf.particulier.types import QFResult

from ..fakes import particulier as api
from ..fakes.franceconnect import DUPONT
from ..journey.identity_helpers import send
from .conftest import flat

pytestmark = [pytest.mark.django_db, pytest.mark.respx(assert_all_called=False)]

NOT_OBTAINABLE = "Ces données ne peuvent être obtenues qu'avec FranceConnect"


@pytest.fixture
def page(dgfip_on, make_qf_page):
    """QF required, tax and crèche data optional: the path without FranceConnect is offered."""
    return make_qf_page(source_dgfip=True, source_eaje=True, allow_identity_form=True)


def test_a_dossier_without_franceconnect_records_the_tax_and_creche_data_as_not_obtainable(
    client, page, respx_mock, admin_client, django_capture_on_commit_callbacks
):
    lookup = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    eaje = respx_mock.get(url__regex=r".*/participation_familiale_eaje/.*")
    dgfip = respx_mock.get(url__regex=r".*/situations/ir/.*")
    with django_capture_on_commit_callbacks(execute=True):  # the CAF/MSA check in the background too
        assert send(client, page).status_code == 302
    dossier = Submission.objects.get()
    assert dossier.qf_value == 1234  # found by the check; the missing sources stay as they were
    assert dossier.source == Source.IDENTITY
    assert set(dossier.missing_sources) == {"dgfip", "eaje"}
    assert not eaje.called and not dgfip.called and lookup.called  # only the QF is looked up
    assert dossier.tax_data is None and dossier.eaje_data is None

    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    )
    assert f"Données fiscales (impots.gouv.fr) : non obtenues lors de la demande – {NOT_OBTAINABLE}" in detail
    assert (
        f"Participation familiale en crèche (CAF ou MSA) : non obtenues lors de la demande – {NOT_OBTAINABLE}"
        in (detail)
    )
    assert dossier_of(dossier)["missing_sources"] == {
        "dgfip": "without_franceconnect",
        "eaje": "without_franceconnect",
    }
    row = next(iter(export_rows(Submission.objects.all())))
    missing = next(c for c in export_columns() if str(c.heading) == "Données non obtenues")
    assert missing.get(row) == (
        "données fiscales (impots.gouv.fr), participation familiale en crèche (CAF ou MSA)"
    )


def test_a_qf_only_dossier_without_franceconnect_misses_nothing(client, make_qf_page, respx_mock):
    page = make_qf_page(allow_identity_form=True)
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    send(client, page)
    assert Submission.objects.get().missing_sources == {}


def test_a_counter_dossier_records_the_tax_and_creche_data_as_not_obtainable(page):
    identity = CitizenIdentity.from_claims({"sub": "", **DUPONT})
    result = QFResult(None, None, None, None, raw={})
    dossier = save_submission(page, identity, result, (), "counter-token", source=Source.COUNTER)
    assert {key: error["code"] for key, error in dossier.missing_sources.items()} == {
        "dgfip": "without_franceconnect",
        "eaje": "without_franceconnect",
    }


def test_a_franceconnect_dossier_keeps_the_sources_it_was_told_of(page):
    identity = CitizenIdentity.from_claims({"sub": "sub-1", **DUPONT})
    result = QFResult(None, None, None, None, raw={})
    dossier = save_submission(page, identity, result, (), "fc-token", pass_famille={"missing_sources": {}})
    assert dossier.source == Source.FRANCECONNECT and dossier.missing_sources == {}
