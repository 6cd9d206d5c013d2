"""Only what the family chose to transmit, in every output, even after the webmaster changes the
page's choice of data (review « minimal »).

Dossiers are made through the real journey (FranceConnect and API Particulier faked at the
transport), then the page's choice is changed and published as the webmaster would; the old
dossier must show what it holds, and say nothing the family did not send.
"""

import html
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wagtail_qf.dossiers.creation import certified_fields
from wagtail_qf.models import Submission

from .fakes import particulier as api
from .fakes.families import family_result
from .fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db

NO_CHILD_SAID = "Aucun enfant désigné par le demandeur."


def flat(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\xa0", " ").split())


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ").split())


def transmit(client, respx_mock, page, children=None, answer=api.DUPONT):
    """Log in with FranceConnect, tick ``children`` (keys; by default none offered) and transmit."""
    fc = FakeFranceConnect(respx_mock)
    api.particulier_ok(respx_mock, answer)
    client.get(fc.authorize(client, page.url + "connexion/"))
    form = client.get(page.url + "quotient/").context["form"]
    response = client.post(
        page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": list(children or ()), "confirm": "on"},
    )
    assert response.status_code == 302, flat(response.content.decode())
    return Submission.objects.get()


def publish(page, **choice):
    """The webmaster changes the page's choice of data and publishes it."""
    page = page.specific.__class__.objects.get(pk=page.pk)
    for name, value in choice.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def outputs(admin_client, client, submission, page) -> dict:
    """The texts of the agent's dossier page, its PDF, and the citizen's summary (HTML and PDF)."""
    detail = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[submission.pk]))
    pdf = admin_client.get(reverse("wagtail_qf_submissions:pdf", args=[submission.pk]))
    summary = client.get(page.url + "confirmation/recapitulatif/html/")
    citizen_pdf = client.get(page.url + "confirmation/recapitulatif/")
    assert detail.status_code == pdf.status_code == summary.status_code == citizen_pdf.status_code == 200
    return {
        "dossier page": flat(detail.content.decode()),
        "PDF": pdf_text(pdf.content),
        "citizen summary": flat(summary.content.decode()),
        "citizen PDF": pdf_text(citizen_pdf.content),
    }


def test_children_asked_after_the_dossier_the_old_dossier_does_not_say_none_was_designated(
    client, admin_client, respx_mock, make_qf_page
):
    """The page did not ask for children when the family transmitted: it designated none, and said
    nothing about them. Once the webmaster asks for children, the old dossier must not read
    « Aucun enfant désigné par le demandeur », a choice the family never made."""
    page = make_qf_page(collect_children=False)
    submission = transmit(client, respx_mock, page)
    assert submission.children == [] and "enfants" not in submission.raw_response

    page = publish(page, collect_children=True)
    for where, text in outputs(admin_client, client, submission, page).items():
        assert NO_CHILD_SAID not in text, where
        assert "Enfants concernés" not in text, where
        for child in ("JEAN", "LUCIE", "LEA"):
            assert child not in text, where


def test_children_no_longer_asked_the_old_dossier_keeps_its_children_and_its_choice_of_none(
    client, admin_client, respx_mock, make_qf_page
):
    """The other way round: the children ticked (or the choice of none) stay shown once the page
    no longer asks for children."""
    page = make_qf_page()
    submission = transmit(client, respx_mock, page, children=["DUPONT|LUCIE|2014-09-21"])
    page = publish(page, collect_children=False)
    for where, text in outputs(admin_client, client, submission, page).items():
        assert "Enfants concernés" in text and "LUCIE" in text, where
        assert "JEAN" not in text and "LEA" not in text, where


def test_no_child_ticked_on_a_page_asking_for_children_is_said(
    client, admin_client, respx_mock, make_qf_page
):
    """A family that confirmed its request concerns none of its children: that is its choice, said."""
    page = make_qf_page()
    fc = FakeFranceConnect(respx_mock)
    api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, page.url + "connexion/"))
    form = client.get(page.url + "quotient/").context["form"]
    client.post(
        page.url + "quotient/", {"form_token": form.initial["form_token"], "no_child": "on", "confirm": "on"}
    )
    submission = Submission.objects.get()
    assert submission.children == [] and submission.raw_response["enfants"] == []
    for where, text in outputs(admin_client, client, submission, page).items():
        assert NO_CHILD_SAID in text, where
        for child in ("JEAN", "LUCIE", "LEA"):
            assert child not in text, where


# -- the counter on a page that does not collect the quotient familial -------------------------
from .admin.test_counter import COUNTER  # noqa: E402
from .admin.test_counter import IDENTITY as COUNTER_IDENTITY
from .admin.test_counter import RESULT as COUNTER_RESULT


def test_counter_dossier_of_a_tax_data_page_holds_no_quotient_nor_family(
    admin_client, respx_mock, make_qf_page
):
    """A page that collects only the tax data (the webmaster did not choose the quotient familial):
    a dossier typed at the counter, where API Particulier answers with the family's QF, must not
    keep the QF, the allocataires or the children the page does not collect."""
    from django.conf import settings
    from django.test import override_settings

    from wagtail_qf.admin.counter import SESSION_KEY

    from .fakes import dgfip as gw

    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, "DGFIP": gw.SETTINGS}):
        page = make_qf_page(source_qf=False, require_qf=False, source_dgfip=True, require_dgfip=True)
        assert "quotient_familial" not in page.collected_data()
        assert "allocataires" not in page.collected_data() and "enfants" not in page.collected_data()
        api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
        admin_client.post(COUNTER, {**COUNTER_IDENTITY, "page": page.pk})
        # The counter asks API Particulier for the QF only: it offers no page that does not collect it.
        assert SESSION_KEY not in admin_client.session
        assert not Submission.objects.filter(page=page).exists()
        # And a dossier of such a page keeps none of the family API Particulier answered with.
        kept = certified_fields(page, family_result(), children=family_result().enfants)
    assert kept["qf_value"] is None and kept["qf_provider"] == "" and kept["qf_month"] is None, kept
    assert kept["allocataires"] == [] and kept["children"] == [] and kept["address"] is None
    assert kept["raw_response"] == {}


# -- the page changed while the family was on the quotient step ---------------------------------
def test_data_added_to_the_page_while_the_family_reads_its_data_is_not_transmitted(
    client, respx_mock, make_qf_page
):
    """The family sees its data, then the webmaster adds the allocataires and the address to the
    page; « Transmettre mes données » sends what the family saw, not what it was never shown."""
    page = make_qf_page(collect_allocataires=False, collect_address=False)
    fc = FakeFranceConnect(respx_mock)
    api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, page.url + "connexion/"))
    quotient = client.get(page.url + "quotient/")
    seen = flat(quotient.content.decode())
    assert "MARIE" not in seen and "RUE DE LA MAIRIE" not in seen
    form = quotient.context["form"]

    publish(page, collect_allocataires=True, collect_address=True)
    client.post(
        page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": ["DUPONT|JEAN|2012-03-04"], "confirm": "on"},
    )
    submission = Submission.objects.get()
    assert submission.allocataires == [] and submission.address is None
    assert "allocataires" not in submission.raw_response and "adresse" not in submission.raw_response


def test_data_added_to_the_page_after_a_declaration_without_franceconnect_is_not_kept(
    client, respx_mock, make_qf_page
):
    """Without FranceConnect the family is told which data the commune will receive, then the check
    with API Particulier runs later (a retry may come days after). Data the webmaster adds to the
    page in between was never announced to this family: the check does not keep it."""
    from wagtail_qf.journey.lookup import check

    from .journey.identity_helpers import ZORGLUB, form_url, send

    page = make_qf_page(allow_identity_form=True, collect_allocataires=False, collect_address=False)
    announced = flat(client.get(page.url).content.decode())  # the start page lists what is sent
    assert "Votre quotient familial" in announced and "Les allocataires du foyer" not in announced
    client.get(form_url(page))
    send(client, page)
    dossier = Submission.objects.get()
    assert dossier.lookup == "pending"

    publish(page, collect_allocataires=True, collect_address=True)
    assert "Les allocataires du foyer" in flat(client.get(page.url).content.decode())  # to new families
    api.route(respx_mock, api.IDENTITY_PATH).mock(return_value=api.httpx.Response(200, json=ZORGLUB))
    assert check(dossier.pk).lookup == "found"
    dossier.refresh_from_db()
    assert dossier.qf_value == 4321
    assert dossier.allocataires == [] and dossier.address is None
    assert "allocataires" not in dossier.raw_response and "adresse" not in dossier.raw_response


# -- the exports after the webmaster stopped collecting a source -----------------------------------
def test_export_keeps_the_tax_and_creche_data_of_older_dossiers_once_the_page_stops_collecting_them(
    admin_client, make_qf_page, make_submission
):
    """Older dossiers keep what the family transmitted, in the exports too: once the webmaster no
    longer asks for the tax and crèche data, the columns stay while a dossier holds such data."""
    from django.conf import settings
    from django.test import override_settings

    from .fakes import dgfip as gw

    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, "DGFIP": gw.SETTINGS}):
        page = make_qf_page(source_dgfip=True, source_eaje=True)
        make_submission(
            page,
            tax_data={"annee_revenus": 2025, "annee_demandee": 2025, "rfr": 36705, "nb_parts": 2.5},
            eaje_data={"ressources_annuelles": 40923, "annee_calcul": 2023, "nombre_enfants_a_charge": 2},
        )
        publish(page, source_dgfip=False, require_dgfip=False, source_eaje=False, require_eaje=False)
    index = reverse("wagtail_qf_submissions:index")
    csv_text = b"".join(admin_client.get(index, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert "Revenu fiscal de référence" in csv_text and "36705" in csv_text
    assert "Ressources annuelles EAJE" in csv_text and "40923" in csv_text


def test_counter_result_shows_the_agent_only_what_the_page_collects(admin_client, respx_mock, make_qf_page):
    """At the counter the agent reads API Particulier's answer before creating the dossier: only
    the data the page collects, as the family would on the quotient step (not the second
    allocataire of a page that does not collect the allocataires)."""
    page = make_qf_page(collect_allocataires=False)
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    admin_client.post(COUNTER, {**COUNTER_IDENTITY, "page": page.pk})
    shown = flat(admin_client.get(COUNTER_RESULT).content.decode())
    assert "1 234 €" in shown and "JEAN DUPONT" in shown  # the QF and the children to tick
    assert "MARIE" not in shown and "MARTIN" not in shown and "Allocataires" not in shown


def test_counter_keeps_in_the_agents_session_only_what_the_page_collects(
    admin_client, respx_mock, make_qf_page
):
    """Between the search and the dossier, the agent's session holds API Particulier's answer cut
    to what the page collects, as the family's does (``creation.shown_only``)."""
    from wagtail_qf.admin.counter import SESSION_KEY

    page = make_qf_page(collect_allocataires=False)
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    admin_client.post(COUNTER, {**COUNTER_IDENTITY, "page": page.pk})
    kept = str(admin_client.session[SESSION_KEY]["result"])
    assert "JEAN" in kept  # the children, which the page collects
    assert "MARIE" not in kept and "MARTIN" not in kept


def test_a_tax_data_dossier_says_nothing_of_children_its_page_never_asked_for(
    admin_client, respx_mock, make_qf_page, make_submission
):
    """A page that collects only the tax data keeps « collecter les enfants » ticked (its default):
    the CAF's children are not asked there, so its dossiers say nothing about children."""
    from django.conf import settings
    from django.test import override_settings

    from .fakes import dgfip as gw

    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, "DGFIP": gw.SETTINGS}):
        page = make_qf_page(source_qf=False, require_qf=False, source_dgfip=True, require_dgfip=True)
    assert page.collect_children and "enfants" not in page.collected_data()
    submission = make_submission(
        page,
        qf_value=None,
        qf_year=None,
        qf_month=None,
        qf_provider="",
        children=[],
        tax_data={"annee_revenus": 2025, "annee_demandee": 2025, "rfr": 36705, "nb_parts": 2.5},
    )
    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[submission.pk])).content.decode()
    )
    pdf = pdf_text(admin_client.get(reverse("wagtail_qf_submissions:pdf", args=[submission.pk])).content)
    for where, text in {"dossier page": detail, "PDF": pdf}.items():
        assert "36 705 €" in text, where
        assert NO_CHILD_SAID not in text and "Enfants concernés" not in text, where


# -- Pass Famille: three sources, a few fields chosen, every output ----------------------------------
def test_pass_famille_outputs_hold_only_the_fields_chosen_and_the_child_ticked(
    client, admin_client, respx_mock, make_qf_page, make_token, django_capture_on_commit_callbacks
):
    """A page asking the QF (with the children, without the allocataires and the address), the
    revenu fiscal de référence alone among the tax data, and the crèche data. The family ticks one
    child of three. Neither the other children, nor the other allocataire, nor the CAF's address,
    nor the tax data the webmaster did not choose (the second declarant, the tax address, the
    family situation, the number of parts) appear in any output."""
    import datetime
    import json

    from django.conf import settings
    from django.test import override_settings
    from openpyxl import load_workbook

    from .fakes import dgfip as gw
    from .pass_famille.conftest import dgfip_routes, eaje_route

    today = datetime.date.today()
    year = today.year - (1 if (today.month, today.day) >= (8, 1) else 2)
    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, "DGFIP": gw.SETTINGS}):
        page = make_qf_page(
            collect_allocataires=False,
            collect_address=False,
            source_dgfip=True,
            dgfip_nb_parts=False,
            source_eaje=True,
        )
        dgfip_routes(respx_mock, year)
        eaje_route(respx_mock)
        submission = transmit(client, respx_mock, page, children=["DUPONT|JEAN|2012-03-04"])
    assert submission.tax_data == {"annee_revenus": year, "annee_demandee": year, "rfr": 36705}
    assert submission.eaje_data["ressources_annuelles"] == 40923
    assert [c["prenoms"] for c in submission.children] == ["JEAN"] and submission.allocataires == []

    not_chosen = (
        "LUCIE",
        "LEA",
        "MARIE",
        "MARTIN",
        "RUE DE LA MAIRIE",
        "DURAND",
        "NOISY",
        "RUE DU CENTRE",
        "Marié",
        "nb_parts",  # (the exports keep the column, empty, for the pages that choose it)
        "JACQUES",
        "GARE",
    )
    texts = outputs(admin_client, client, submission, page)
    index = reverse("wagtail_qf_submissions:index")
    texts["CSV"] = b"".join(admin_client.get(index, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    xlsx = b"".join(admin_client.get(index, {"export": "xlsx"}).streaming_content)
    texts["XLSX"] = " ".join(
        str(value)
        for row in load_workbook(io.BytesIO(xlsx)).active.values
        for value in row
        if value is not None
    )
    _, token = make_token(page)
    api_answer = client.get(
        f"/qf/api/v1/dossiers/{submission.reference}/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    texts["API"] = json.dumps(api_answer.json(), ensure_ascii=False)
    texts["dossier row"] = json.dumps(
        Submission.objects.filter(pk=submission.pk).values().get(), default=str, ensure_ascii=False
    )
    for where, text in texts.items():
        assert "JEAN" in text, where
        assert "36705" in text.replace(" ", "").replace("\u202f", ""), where
        leaked = [value for value in not_chosen if value in text]
        assert not leaked, f"{where} holds data that was not chosen: {leaked}"
