"""The agent's dossier page (issue 19): the data on the left, a side panel with the status, the
actions and the history; places of birth named from the shipped reference data, the code apart;
dates written in French; what is certified and what was typed, marked."""

import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wagtail_qf.dossiers import history
from wagtail_qf.dossiers import messages as family
from wagtail_qf.models import HubEEForwarding, HubEEState, Submission

pytestmark = pytest.mark.django_db

PARIS_12_MARCH_14_05 = datetime.datetime(2026, 3, 12, 13, 5, tzinfo=datetime.UTC)  # 14 h 05 in Paris


def page_of(client, submission) -> str:
    response = client.get(reverse("wagtail_qf_submissions:inspect", args=[submission.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").split())


def side_panel(html: str) -> str:
    return html.split('<aside class="qf-dossier__side"')[1].split("</aside>")[0]


def data_column(html: str) -> str:
    return html.split('<div class="qf-dossier__data">')[1].split('<aside class="qf-dossier__side"')[0]


def test_the_place_of_birth_is_named_and_its_code_kept_in_small_text(admin_client, qf_page, make_submission):
    html = page_of(admin_client, make_submission(qf_page, birthplace="35238", birthcountry="99100"))
    assert '<dd class="qf-birthplace">Rennes <small class="qf-code">(35238)</small></dd>' in html
    assert '<dd class="qf-birthcountry">France <small class="qf-code">(99100)</small></dd>' in html


def test_the_country_of_birth_is_named(admin_client, qf_page, make_submission):
    html = page_of(admin_client, make_submission(qf_page, birthplace="", birthcountry="99134"))
    assert '<dd class="qf-birthcountry">Espagne <small class="qf-code">(99134)</small></dd>' in html
    assert '<dd class="qf-birthplace">–</dd>' in html


def test_a_former_commune_of_birth_is_named_with_the_commune_it_belongs_to_today(
    admin_client, qf_page, make_submission
):
    """Amareins (01003) merged into Francheleins (01165): people born there keep its code."""
    dossier = make_submission(qf_page, birthplace="01003", birthcountry="99100")
    html = page_of(admin_client, dossier)
    assert (
        '<dd class="qf-birthplace">Ancienne commune Amareins (aujourd&#x27;hui Francheleins) '
        '<small class="qf-code">(01003)</small></dd>'
    ) in html
    pdf = admin_client.get(reverse("wagtail_qf_submissions:pdf", args=[dossier.pk]))
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Ancienne commune Amareins (aujourd'hui Francheleins) (01003)" in pdf_text  # the same in the PDF


def test_a_code_missing_from_the_reference_data_is_shown_as_it_is(admin_client, qf_page, make_submission):
    html = page_of(admin_client, make_submission(qf_page, birthplace="99999", birthcountry="99998"))
    assert '<dd class="qf-birthplace">99999</dd>' in html
    assert '<dd class="qf-birthcountry">99998</dd>' in html


def test_dates_are_written_in_french(admin_client, admin_user, qf_page, make_submission):
    dossier = make_submission(qf_page)
    Submission.objects.filter(pk=dossier.pk).update(submitted_at=PARIS_12_MARCH_14_05)
    history.add_comment(dossier, admin_user, "appelé")
    first_of_april = datetime.datetime(2026, 4, 1, 7, 30, tzinfo=datetime.UTC)  # 9 h 30 in Paris (summer)
    HubEEForwarding.objects.create(
        submission=dossier, state=HubEEState.DEPOSITED, folder_id="F-1", deposited_at=first_of_april
    )
    side = text(side_panel(page_of(admin_client, dossier)))
    assert "Transmis le 12 mars 2026 à 14 h 05" in side
    assert "le 1er avril 2026 à 9 h 30 (dossier HubEE F-1)" in side
    # The history: who, what, then when.
    assert (
        "Le service en ligne a déposé le dossier sur HubEE (dossier HubEE F-1) 1er avril 2026 à 9 h 30"
        in side
    )
    assert re.search(
        r"admin a ajouté un commentaire : « appelé » \d{1,2}(er)? \w+ 20\d\d à \d{1,2} h \d\d", side
    )


def test_the_side_panel_holds_the_status_the_actions_and_the_history(admin_client, qf_page, make_submission):
    html = page_of(admin_client, make_submission(qf_page, email="famille@example.org"))
    assert html.index('<div class="qf-dossier__data">') < html.index('<aside class="qf-dossier__side"')
    assert '<aside class="qf-dossier__side" aria-label="Traitement du dossier">' in html
    side = side_panel(html)
    for part in (
        "<dt>Statut</dt><dd><strong>Reçu</strong></dd>",
        'name="change_status"',
        'name="send_message"',
        'name="add_comment"',
        'aria-live="polite"',
        "Télécharger le récapitulatif (PDF)",
        '<ol class="qf-history">',
    ):
        assert part in side, part
    data = data_column(html)
    assert "Nom de naissance" in data and "Quotient familial" in data and "Commune destinataire" in data
    assert "change_status" not in data and "qf-history" not in data


def test_an_agent_who_may_only_read_sees_the_side_panel_without_the_forms(
    client, make_agent, two_communes, make_submission
):
    reader = make_agent("lecteur", two_communes[0], perms=())
    client.force_login(reader)
    side = side_panel(page_of(client, make_submission(two_communes[1])))
    assert "<dt>Statut</dt>" in side and '<ol class="qf-history">' in side
    assert "<form" not in side


def test_the_forms_of_the_side_panel_have_labels_tied_to_their_fields(admin_client, qf_page, make_submission):
    side = side_panel(page_of(admin_client, make_submission(qf_page, email="famille@example.org")))
    for control in re.findall(r"<(?:select|textarea)[^>]*>", side):
        field_id = re.search(r'id="([^"]+)"', control)[1]
        assert f'for="{field_id}"' in side, control
    comment = re.search(r"<textarea[^>]*name=\"comment\"[^>]*>", side)[0]
    assert 'maxlength="500"' in comment
    described_by = re.search(r'aria-describedby="([^"]+)"', comment)[1]
    assert f'id="{described_by}"' in side and "500 caractères au plus" in side


def test_the_pdf_button_draws_wagtails_download_icon(admin_client, qf_page, make_submission):
    """The icon sized by Wagtail's button styles, the text beside it (the browser test measures it)."""
    side = side_panel(page_of(admin_client, make_submission(qf_page)))
    button = re.search(r'<a class="([^"]*)" href="[^"]+/pdf/" download>(.*?)</a>', side, re.S)
    assert {"button", "bicolor", "button--icon"} <= set(button[1].split())
    assert '<span class="icon-wrapper"><svg class="icon icon-download' in button[2]
    assert text(button[2]) == "Télécharger le récapitulatif (PDF)"


def test_certified_and_typed_data_are_marked(admin_client, qf_page, make_submission):
    certified = data_column(page_of(admin_client, make_submission(qf_page, source="franceconnect")))
    requester = certified.split('id="qf-requester-section"')[1].split("</section>")[0]
    assert (
        '<span class="qf-mark qf-mark--certified">certifié</span> Identité certifiée par FranceConnect.'
        in requester
    )

    typed = make_submission(qf_page, source="identity", email="p@x.test", email_origin="citizen")
    requester = data_column(page_of(admin_client, typed)).split('id="qf-requester-section"')[1]
    requester = requester.split("</section>")[0]
    assert '<span class="qf-mark qf-mark--typed">saisi</span> Identité saisie par le demandeur' in requester
    assert "qf-mark--certified" not in requester
    assert (
        '<span class="qf-mark qf-mark--typed">saisi</span> <a href="mailto:p@x.test">p@x.test</a> '
        "(saisie par le demandeur)"
    ) in requester


def test_the_history_tells_messages_with_their_delivery_views_folded_without_javascript(
    admin_client, admin_user, qf_page, make_submission, django_capture_on_commit_callbacks
):
    dossier = make_submission(qf_page, email="famille@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        family.send_message(dossier, admin_user, "Merci d'envoyer votre attestation.")
    history.record_pdf(dossier, admin_user)
    history.record_view(dossier, admin_user)
    side = side_panel(page_of(admin_client, dossier))  # the second view
    story = text(side.split('<ol class="qf-history">')[1])
    assert (
        "admin a transmis une information à la personne concernée (courriel : envoyé) : "
        "« Merci d'envoyer votre attestation. »"
    ) in story
    assert "admin a téléchargé le récapitulatif PDF" in story
    assert story.count("consulté") == 1 and "(2 consultations en tout)" in story
    assert '<details class="qf-history-views"><summary>Détail des consultations</summary>' in side


def test_the_next_check_of_a_dossier_without_franceconnect_is_dated_in_french(
    admin_client, make_qf_page, make_submission
):
    page = make_qf_page(allow_identity_form=True)
    dossier = make_submission(
        page,
        source="identity",
        qf_value=None,
        qf_provider="",
        lookup="failed",
        lookup_error="ProviderError:37999",
        lookup_attempts=1,
        lookup_at=PARIS_12_MARCH_14_05,
    )
    data = text(data_column(page_of(admin_client, dossier)))
    assert re.search(r"nouvel essai prévu le \d{1,2}(er)? mars 2026 à \d{1,2} h \d\d\.", data), data
