"""French texts inside an English page are marked ``lang="fr"`` (RGAA 8.7), so that a screen
reader reads them with a French voice: the accessibility statement's audit facts (written in
French in ``docs/accessibility/``) and the INSEE names of the countries of birth."""

from html.parser import HTMLParser

import pytest

from wagtail_qf.accessibility import audit

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class LanguageOfTexts(HTMLParser):
    """Each text of the page with the language it is read in (the nearest ``lang``)."""

    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip():
            self.texts.append((" ".join(data.split()), self.stack[-1][1] if self.stack else ""))


def languages(html: str) -> dict[str, set[str]]:
    parser = LanguageOfTexts()
    parser.feed(html)
    found = {}
    for text, lang in parser.texts:
        found.setdefault(text, set()).add(lang)
    return found


def english(client, url) -> dict[str, set[str]]:
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return languages(response.content.decode())


def test_the_english_statement_marks_the_audits_french_facts(client, qf_page):
    read = english(client, "/qf/accessibilite/")
    facts = audit()
    french = [
        facts["auditor"],
        *facts["pages"],
        *facts["environment"],
        *facts["tools"],
        *facts["exempt"],
        *(item["title"] for item in facts["to_verify"]),
        *(item["remains"] for item in facts["to_verify"]),
    ]
    assert french
    for text in french:
        shown = " ".join(text.split())
        assert read.get(shown) == {"fr"}, (shown, read.get(shown))
    assert read["Accessibility statement"] == {"en"}  # the statement itself stays English


def test_the_english_identity_step_marks_the_french_country_names(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True)
    read = english(client, page.url + "sans-franceconnect/")
    for country in ("Allemagne", "Royaume-Uni", "États-Unis"):
        assert read.get(country) == {"fr"}, (country, read.get(country))
    assert read["Choose a country"] == {"en"}


def test_the_statement_writes_the_first_of_a_month_as_french_does(client, home_page, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "ACCESSIBILITY": {"STATEMENT_DATE": "2026-12-01"}}
    html = client.get("/qf/accessibilite/").content.decode()
    assert "Cette déclaration a été établie le 1er décembre 2026." in html
