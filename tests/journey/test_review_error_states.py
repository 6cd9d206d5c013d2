"""Found in review: every form of the journey that comes back with errors says so the same way
(RGAA 11.10, 11.11): a summary focused on load whose links lead to the fields, and each
``aria-describedby`` naming an element of the page."""

import re
from html.parser import HTMLParser

import pytest

from ..factories import family_result
from .identity_helpers import send

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    """The ids of a page, the ``aria-describedby`` references and the error summary's links."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.described_by, self.summary_links = set(), [], []
        self._in_summary = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self.described_by += (attrs.get("aria-describedby") or "").split()
        if attrs.get("id") == "erreurs":
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attrs.get("href", "").removeprefix("#"))

    def handle_endtag(self, tag):
        if self._in_summary and tag == "div":
            self._in_summary -= 1


def assert_error_state(response, *anchors):
    """The summary is there, focused, links to ``anchors`` at least, and every reference exists."""
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="erreurs"[^>]*autofocus', html)
    page = Ids(html)
    assert set(anchors) <= set(page.summary_links)
    assert set(page.summary_links) <= page.ids, set(page.summary_links) - page.ids
    assert set(page.described_by) <= page.ids, set(page.described_by) - page.ids


def test_quotient_step_without_the_certification(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    response = client.post(qf_page.url + "quotient/", {"form_token": token, "children": []})
    assert_error_state(response, "id_confirm", "id_children_0")


def test_identity_form_with_every_kind_of_error(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True, collect_children=True)
    child = {"enfant1_prenoms": "", "enfant1_jour": "31", "enfant1_mois": "2", "enfant1_annee": "2016"}
    response = send(client, page, nom_naissance="", sexe=None, email="pas-une-adresse", confirm=None, **child)
    assert_error_state(
        response, "id_nom_naissance", "id_sexe_0", "id_email", "id_confirm", "id_enfant1_prenoms"
    )
