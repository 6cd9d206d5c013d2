"""Accessibility of the citizen pages in the states the other browser tests do not visit: a
dossier that could not be saved, a form sent from an outdated page, an upstream error the
citizen may retry, the follow-up page's refused complements and ended access.

What a person auditing RGAA 4.1 checks there by hand: the title names the error (8.6), the
focus goes to what went wrong after a failed sending, a button says what it does (11.9), a
hint is read once (11.2), the page reflows at 320 px (10.11).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, connection

from wagtail_qf.dossiers import history, messages
from wagtail_qf.journey.session import FOLLOW_UP_KEY
from wagtail_qf.models import Submission

from . import test_rgaa
from .test_follow_up import open_by_emailed_link
from .test_identity_path import fill_identity, fill_request
from .test_rgaa import assert_no_horizontal_scroll, to_quotient

pytestmark = pytest.mark.e2e

open_page = test_rgaa.open_page  # the fixture: a page of a given width, scheme, JavaScript

FOCUSED_ALERT = """(words) => {
    const focused = document.activeElement;
    return !!focused && focused.getAttribute('role') === 'alert' && focused.textContent.includes(words);
}"""


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


def refuse_dossiers(execute, sql, params, many, context):
    """The database refuses the new dossier (disk full): the live server shares this connection."""
    if sql.lstrip().upper().startswith("INSERT") and "wagtail_qf_submission" in sql:
        raise DatabaseError("disk full")
    return execute(sql, params, many, context)


@pytest.fixture
def shared_connection():
    """The live server uses the test's own connection on SQLite's in-memory database only; on
    PostgreSQL its thread has its own, which ``refuse_dossiers`` cannot reach."""
    if connection.vendor != "sqlite":
        pytest.skip("the live server shares the test's connection on SQLite only (runs in the SQLite pass)")


def assert_alert_focused(page, words):
    page.wait_for_function(FOCUSED_ALERT, arg=words, timeout=5000)


# -- the quotient step ---------------------------------------------------------------------


def test_a_dossier_not_saved_is_titled_and_focused(
    open_page, live_site, qf_page, design, axe, shared_connection
):
    """8.6 and the focus after a failed sending: the citizen hears at once that nothing was sent."""
    page = open_page(scheme="dark")
    to_quotient(page, live_site, qf_page)
    page.click("label[for=id_children_0]")
    page.click("label[for=id_confirm]")
    with connection.execute_wrapper(refuse_dossiers):
        page.click("text=Transmettre mes données")
        page.wait_for_selector("text=Vos données n'ont pas pu être enregistrées")
    assert Submission.objects.count() == 0
    assert page.title().startswith("Erreur – "), page.title()
    assert_alert_focused(page, "rien n'a été transmis")
    assert axe(page) == []


def test_a_form_sent_from_an_outdated_page_is_focused(open_page, live_site, qf_page, design):
    """A form of an earlier login (another tab): the error the citizen cannot correct in a field
    comes first and takes the focus, as the error summary does."""
    page = open_page(javascript=False)
    to_quotient(page, live_site, qf_page)
    page.click("label[for=id_confirm]")
    page.click("label[for=id_children_0]")
    page.locator("input[name=form_token]").evaluate("(input) => { input.value = 'un-autre-onglet'; }")
    page.click("text=Transmettre mes données")
    page.wait_for_selector("text=Ce formulaire a expiré")
    assert page.title().startswith("Erreur – ")
    assert_alert_focused(page, "Ce formulaire a expiré")


def test_the_retry_button_says_what_it_retries(open_page, live_site, qf_page, design):
    """11.9: on the upstream error page, « Réessayer » alone does not say what is tried again."""
    page = open_page()
    page.goto(live_site.url + qf_page.url)
    page.click("button.fr-connect")
    page.check("#identity-indisponible")  # the CAF is down: the citizen may retry
    page.click("button[name=login]")
    page.wait_for_url("**/quotient/")
    names = page.locator("main button").all_inner_texts()
    assert any(name.startswith("Réessayer") for name in names), names
    assert [name for name in names if len(name.split()) < 2] == []  # a verb and what it acts on


# -- the path without FranceConnect --------------------------------------------------------


@pytest.mark.parametrize("design", ["standalone"])  # the template is the same in both designs
def test_a_request_not_saved_is_focused(open_page, live_site, make_qf_page, design, shared_connection):
    qf_page = make_qf_page(allow_identity_form=True)
    page = open_page(javascript=False)
    page.goto(live_site.url + qf_page.url + "sans-franceconnect/")
    fill_identity(page)
    page.fill("#id_commune_recherche", "rennes")
    page.click("text=Rechercher la commune")
    page.check("text=Rennes (35)")
    fill_request(page)
    with connection.execute_wrapper(refuse_dossiers):
        page.click("text=Envoyer ma demande")
        page.wait_for_selector("text=rien n'a été envoyé")
    assert Submission.objects.count() == 0
    assert page.title().startswith("Erreur – ")
    assert_alert_focused(page, "rien n'a été envoyé")


# -- « Suivre ma demande » -----------------------------------------------------------------


def follow_up_with_complements_asked(page, live_site, make_qf_page, make_submission):
    """The follow-up page, opened by an e-mailed link, of a dossier awaiting complements."""
    qf_page = make_qf_page(follow_up_by_email=True)
    dossier = make_submission(qf_page, without_franceconnect=True, email="famille@example.org")
    agent = get_user_model().objects.create_user("agent-revue")
    history.change_status(dossier, "awaiting", agent)
    messages.send_message(dossier, agent, "Merci d'envoyer l'attestation de la CAF.", status="awaiting")
    open_by_emailed_link(page, live_site, qf_page, "famille@example.org")
    return dossier


def send_refused_file(page, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Pas un PDF")
    page.set_input_files("input[name=files]", str(notes))
    page.click("button[value=complements]")
    page.locator("#erreurs").wait_for()


HINTS_READ_TWICE = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap((el) =>
    el.getAttribute('aria-describedby').split(/\\s+/).filter((id) => {
        const described = document.getElementById(id);
        return described && el.labels && [...el.labels].some((label) => label.contains(described));
    }).map((id) => `${el.id}: ${id}`))"""


def test_complements_hint_is_read_once(
    open_page, live_site, make_qf_page, make_submission, design, tmp_path, axe
):
    """11.2: the file field's hint is in its label: described by it again, it is read twice."""
    page = open_page()
    follow_up_with_complements_asked(page, live_site, make_qf_page, make_submission)
    assert page.evaluate(HINTS_READ_TWICE) == []
    send_refused_file(page, tmp_path)
    assert page.evaluate(HINTS_READ_TWICE) == []
    field = page.locator("input[name=files]")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert field.get_attribute("aria-invalid") == "true"
    assert [page.locator(f"#{id_}").inner_text() for id_ in described] == [
        page.locator(".qf-dossier .qf-error").inner_text()
    ]
    assert axe(page) == []


def test_refused_complements_reflow_at_320_px(
    open_page,
    live_site,
    make_qf_page,
    make_submission,
    design,
    tmp_path,
):
    """10.11 and 10.4: the file field in error draws its red bar beside itself, within the page."""
    page = open_page()
    follow_up_with_complements_asked(page, live_site, make_qf_page, make_submission)
    send_refused_file(page, tmp_path)
    for width in (320, 640):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_horizontal_scroll(page)


def test_ended_access_is_titled_as_an_error(open_page, live_site, make_qf_page, make_submission, design, axe):
    """8.6: complements sent after the access ended are refused (nothing sent): the title says so."""
    page = open_page(scheme="dark")
    follow_up_with_complements_asked(page, live_site, make_qf_page, make_submission)
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=session_key)
    session.pop(FOLLOW_UP_KEY)  # the access ends while the family writes
    session.save()
    page.fill("textarea[name=message]", "Voici mon attestation.")
    page.click("button[value=complements]")
    page.locator("#lost-message").wait_for()
    assert page.title().startswith("Erreur – "), page.title()
    first = page.locator("main h1 ~ *").first  # the alert is what the page says first
    assert first.get_attribute("role") == "alert" and "rien n'a été envoyé" in first.inner_text()
    assert axe(page) == []
