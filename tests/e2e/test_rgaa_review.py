"""The RGAA 4.1 checks the audit grid used to leave to a person, automated on every citizen page
type in both designs: markup validity, lists, reading order, hidden content, labels and buttons,
new windows, pointer actions, scripts read from Chromium's accessibility tree, colours.

Each test is named in the grid's ``tests`` column (docs/accessibility/rgaa-grid.csv).
"""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .test_rgaa import open_commune_list, open_page, to_quotient  # noqa: F401  (open_page: a fixture)
from .test_rgaa_audit import KINDS, visit

pytestmark = pytest.mark.e2e

STATIC = Path(__file__).resolve().parents[2] / "wagtail_qf" / "static" / "wagtail_qf"
MINUTE = 60 * 1000


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


# -- 8.2 valid markup, 8.9 no presentational tags, 9.3 lists are lists ------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
OPTIONAL_END = {
    "li",
    "dt",
    "dd",
    "option",
    "optgroup",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "colgroup",
}
OPTIONAL_END |= {"html", "head", "body"}
CLOSES_P = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "menu", "nav", "ol", "p",
    "pre", "section", "table", "ul",
}  # fmt: skip
PHRASING_ONLY = {"span", "strong", "em", "label", "button", "small", "abbr", "code", "time", "q", "legend"}
PHRASING_ONLY |= {"h1", "h2", "h3", "h4", "h5", "h6"}
INTERACTIVE = {"a", "button", "select", "textarea", "label", "details", "iframe"}
LIST_CHILDREN = {"ul": {"li"}, "ol": {"li"}, "dl": {"dt", "dd", "div"}}
PRESENTATIONAL = {"b", "i", "u", "font", "center", "big", "tt", "strike", "blink", "marquee", "basefont"}
PRESENTATIONAL_ATTRIBUTES = {"align", "bgcolor", "border", "valign", "hspace", "vspace", "background"}
BULLET = re.compile(r"^\s*(?:[-•–—*·▪►✓]\s|\d+[.)]\s)")


class MarkupCheck(HTMLParser):
    """What the W3C validator and a reading of the source report: parse errors, misnested or
    unclosed elements, duplicate ids and attributes, invalid content (blocks in phrasing
    content, interactive in interactive, non-items in lists), presentational tags, fake lists."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.errors, self.fake_lists = [], set(), [], []
        self.doctype = None
        self.breaks = [0]  # <br> met in the current element

    def error(self, message):
        self.errors.append(f"line {self.getpos()[0]}: {message}")

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        names = [name for name, _value in attrs]
        for name in {n for n in names if names.count(n) > 1}:
            self.error(f"<{tag}> has the attribute {name} twice")
        values = dict(attrs)
        if "id" in values:
            if values["id"] in self.ids:
                self.error(f"duplicate id {values['id']!r}")
            self.ids.add(values["id"])
        if tag in PRESENTATIONAL or PRESENTATIONAL_ATTRIBUTES & set(names):
            self.error(f"presentational <{tag} {' '.join(names)}>")
        if tag == "p" or tag in CLOSES_P:
            if self.stack and self.stack[-1] == "p":
                self.end_element()  # a block closes the open paragraph: its </p> will be stray
        if self.stack and self.stack[-1] in OPTIONAL_END and tag == self.stack[-1]:
            self.end_element()  # <li> after <li>, <option> after <option>
        parent = self.stack[-1] if self.stack else None
        if tag in CLOSES_P and set(self.stack) & PHRASING_ONLY:
            self.error(f"<{tag}> inside phrasing content <{'/'.join(self.stack[-3:])}>")
        interactive = tag in INTERACTIVE or (tag == "input" and values.get("type") != "hidden")
        if interactive and {"a", "button"} & set(self.stack):
            self.error(f"<{tag}> inside <a> or <button>")
        if tag == "label" and "label" in self.stack:
            self.error("<label> inside <label>")
        if parent in LIST_CHILDREN and tag not in LIST_CHILDREN[parent] | {"script", "template"}:
            self.error(f"<{tag}> directly inside <{parent}>")
        if tag == "br":
            self.breaks[-1] += 1
        if tag not in VOID:
            self.stack.append(tag)
            self.breaks.append(0)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.error(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.end_element()
        if not self.stack or self.stack[-1] != tag:
            self.error(f"</{tag}> closes nothing open (open: {'/'.join(self.stack[-3:])})")
            return
        self.end_element()

    def end_element(self):
        tag = self.stack.pop()
        if self.breaks.pop() > 1 and tag not in ("address", "pre"):
            self.fake_lists.append(f"<{tag}> made of lines separated by <br>")

    def handle_data(self, data):
        if self.stack and self.stack[-1] not in ("li", "script", "style", "pre") and BULLET.match(data):
            self.fake_lists.append(f"<{self.stack[-1]}> starts with a bullet: {data.strip()[:40]!r}")

    def report(self):
        self.close_all()
        return {"errors": self.errors, "fake_lists": self.fake_lists, "doctype": self.doctype}

    def close_all(self):
        unclosed = [tag for tag in self.stack if tag not in OPTIONAL_END]
        if unclosed:
            self.error(f"never closed: {unclosed}")


def check_markup(html):
    checker = MarkupCheck()
    checker.feed(html)
    checker.close()
    return checker.report()


def served_html(page):
    """The HTML the server sends for the page on screen (what a validator reads), not the live DOM."""
    return page.request.get(page.url).text()


def test_markup_check_finds_what_the_validator_reports():
    """The checker itself: each defect the W3C validator reports on these pages is found."""
    broken = {
        "<p><div>bloc</div></p>": "</p> closes nothing",
        "<span><p>texte</p></span>": "<p> inside phrasing",
        '<a href="/"><button>Go</button></a>': "<button> inside <a>",
        "<ul><p>un</p></ul>": "<p> directly inside <ul>",
        '<p id="x"></p><p id="x"></p>': "duplicate id",
        '<p class="a" class="b"></p>': "attribute class twice",
        "<section><em>texte</section>": "</section> closes nothing",
        "<center>texte</center>": "presentational <center",
        '<div align="left">texte</div>': "presentational <div",
    }
    for html, expected in broken.items():
        assert any(expected in error for error in check_markup(html)["errors"]), html
    assert check_markup("<p>- un<br>- deux<br>- trois</p>")["fake_lists"]
    valid = "<!DOCTYPE html><ul><li>un<li>deux</ul><p>texte<div>bloc</div><dl><dt>a<dd>b</dl>"
    assert check_markup(valid)["errors"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_markup_is_valid(open_page, live_site, make_qf_page, design, kind):  # noqa: F811
    """8.2 the served HTML is valid, 8.9 no tag or attribute only for presentation, 9.3 no list
    written with paragraphs, line breaks or typed bullets."""
    page = open_page()
    visit(page, live_site, make_qf_page, kind)
    found = check_markup(served_html(page))
    assert found["doctype"].lower() == "doctype html"
    assert found["errors"] == []
    assert found["fake_lists"] == []


# -- 10.3 reading order, 10.8 hidden content --------------------------------------------------

ORDER = """() => {
    // The visible text blocks and controls of the content, in the order of the source (CSS off).
    const main = document.querySelector('main');
    const blocks = [...main.querySelectorAll('*')].filter((el) => {
        const box = el.getBoundingClientRect();
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'
            && (own || el.matches('input:not([type=hidden]), select, textarea, button'));
    });
    const moved = [];
    for (let i = 1; i < blocks.length; i++) {
        const [a, b] = [blocks[i - 1].getBoundingClientRect(), blocks[i].getBoundingClientRect()];
        // Read after, shown before: above it in the same column, or left of it on the same line.
        const sameLine = b.top < a.bottom && b.bottom > a.top;
        const sameColumn = b.left < a.right && b.right > a.left;
        if ((sameColumn && b.bottom <= a.top + 1) || (sameLine && b.right <= a.left + 1 && !blocks[i - 1].contains(blocks[i]))) {
            moved.push(blocks[i - 1].textContent.trim().slice(0, 30) + ' | ' + blocks[i].textContent.trim().slice(0, 30));
        }
    }
    const position = (el) => blocks.indexOf(el);
    const h1 = main.querySelector('h1');
    const fields = [...main.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((el) => position(el) >= 0);
    const forms = [...main.querySelectorAll('form')].map((form) => {
        const buttons = [...form.querySelectorAll('button:not([type=button]), input[type=submit]')]
            .filter((el) => position(el) >= 0);
        const mine = fields.filter((el) => el.form === form);
        return {buttons: buttons.length, lastButtonAfterFields: !mine.length
            || (buttons.length > 0 && position(buttons[buttons.length - 1]) > Math.max(...mine.map(position)))};
    });
    return {moved, headingFirst: fields.every((el) => position(el) > position(h1)), forms};
}"""


@pytest.mark.parametrize("kind", KINDS)
def test_reading_order_without_styles(open_page, live_site, make_qf_page, design, kind):  # noqa: F811
    """10.3: the source order (what is read with the style sheets off) is the order on screen,
    and it runs title → form fields → the form's main button."""
    page = open_page()
    visit(page, live_site, make_qf_page, kind)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        order = page.evaluate(ORDER)
        assert order["moved"] == [], f"{width}px: shown in another order than written"
        assert order["headingFirst"]
        assert all(form["lastButtonAfterFields"] for form in order["forms"]), order["forms"]


HIDDEN = """() => {
    // Marks every element hidden from everybody (hidden, display: none, visibility: hidden,
    // aria-hidden) and returns the focusable elements inside them.
    const hidden = [...document.querySelectorAll('body *')].filter((el) => {
        const s = getComputedStyle(el);
        return el.hidden || el.getAttribute('aria-hidden') === 'true' || s.display === 'none'
            || s.visibility === 'hidden';
    });
    hidden.forEach((el) => el.setAttribute('data-audit-hidden', ''));
    const focusable = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, [tabindex]';
    return hidden.flatMap((el) => [...el.querySelectorAll(focusable)].concat(el.matches(focusable) ? [el] : []))
        .filter((el) => el.tabIndex >= 0 && el.getAttribute('aria-hidden') === 'true' && getComputedStyle(el).display !== 'none'
                        && getComputedStyle(el).visibility !== 'hidden')
        .map((el) => el.outerHTML.slice(0, 80));
}"""


def exposed_hidden_nodes(page):
    """Accessibility-tree nodes (what screen readers read) of elements marked hidden by HIDDEN."""
    client = page.context.new_cdp_session(page)
    root = client.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    marked = client.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-audit-hidden]"})[
        "nodeIds"
    ]
    hidden = {client.send("DOM.describeNode", {"nodeId": node})["node"]["backendNodeId"] for node in marked}
    nodes = client.send("Accessibility.getFullAXTree")["nodes"]
    return [
        f"{node.get('role', {}).get('value')} {node.get('name', {}).get('value', '')!r}"
        for node in nodes
        if node.get("backendDOMNodeId") in hidden and not node.get("ignored")
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_hidden_content_is_neither_read_nor_reached(open_page, live_site, make_qf_page, design, kind):  # noqa: F811
    """10.8: what is hidden (the end-of-session notice, the button replaced by the combobox, the
    design system's closed menus) is out of the accessibility tree and of the tab order."""
    page = open_page()
    visit(page, live_site, make_qf_page, kind)
    assert page.evaluate(HIDDEN) == []
    assert exposed_hidden_nodes(page) == []


# -- 11.3 same labels, 11.9 buttons, 13.2 new windows, 6.1 links: read on all the pages --------

CONTROLS = """() => {
    const text = (el) => el ? el.textContent.replace(/\\s+/g, ' ').trim() : '';
    const labelOf = (el) => {
        const label = el.labels && el.labels[0];
        if (!label) return el.getAttribute('aria-label') || '';
        const copy = label.cloneNode(true);
        copy.querySelectorAll('.qf-hint, .fr-hint-text').forEach((hint) => hint.remove());
        return text(copy);
    };
    return {
        fields: [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .map((el) => ({name: el.name, type: el.type, label: labelOf(el),
                           group: text(el.closest('fieldset') && el.closest('fieldset').querySelector('legend'))})),
        links: [...document.querySelectorAll('a[href]')].map((el) => ({
            href: el.getAttribute('href'), text: text(el), title: el.title, target: el.target,
        })),
    };
}"""


def accessible_names(page, role):
    client = page.context.new_cdp_session(page)
    nodes = client.send("Accessibility.getFullAXTree")["nodes"]
    return [
        node.get("name", {}).get("value", "")
        for node in nodes
        if node.get("role", {}).get("value") == role and not node.get("ignored")
    ]


@pytest.fixture(scope="module")
def read_pages():
    """Every page type read once per design: its fields, links and buttons."""
    return {}


def read(read_pages, open_page, live_site, make_qf_page, design):  # noqa: F811
    from .test_rgaa_audit import _clean_pages

    if design not in read_pages:
        found = {}
        for kind in KINDS:
            page = open_page()
            visit(page, live_site, make_qf_page, kind)
            found[kind] = {
                **page.evaluate(CONTROLS),
                "buttons": accessible_names(page, "button"),
                "names": accessible_names(page, "textbox") + accessible_names(page, "combobox"),
            }
            page.context.close()
            _clean_pages()
        read_pages[design] = found
    return read_pages[design]


def test_same_field_same_label_on_every_page(read_pages, open_page, live_site, make_qf_page, design):  # noqa: F811
    """11.3: a field with the same function (the same name in a group of the same name, the
    children's rows counted as one) has a consistent label wherever it is repeated: the same
    words, one label at most adding a precision after them."""
    labels = {}
    for facts in read(read_pages, open_page, live_site, make_qf_page, design).values():
        for field in facts["fields"]:
            if field["type"] not in ("radio", "checkbox"):
                function = re.sub(r"\d+", "N", f"{field['group'].split(' (')[0]} / {field['name']}")
                labels.setdefault(function, []).append(field["label"])
    assert len([f for f in labels if f.endswith("/ email")]) == 1  # the same on both forms
    assert max(len(found) for found in labels.values()) >= 6  # the children's rows, at least
    inconsistent = {
        function: found
        for function, found in labels.items()
        if not all(label.startswith(min(found, key=len)) for label in found)
    }
    assert inconsistent == {}


def test_labels_and_hints_read_as_separate_words(read_pages, open_page, live_site, make_qf_page, design):  # noqa: F811
    """11.2: the name a screen reader gives a field (its label, then its hint) keeps the words
    apart: « demande Vous pouvez », not « demandeVous pouvez »."""
    found = read(read_pages, open_page, live_site, make_qf_page, design)
    names = [name for facts in found.values() for name in facts["names"]]
    assert len(names) >= 10
    assert [name for name in names if re.search(r"[a-zà-ÿ.][A-ZÀ-Ý]", name)] == []


# The verbs the buttons of the citizen pages start with (11.9: the name says the action).
VERBS = ("Aller", "Continuer", "Envoyer", "Prolonger", "Rechercher", "Se déconnecter", "S’identifier")
VERBS += ("Transmettre", "Télécharger", "Choisir", "Fermer", "Revenir", "Valider", "Afficher")


def test_every_button_says_its_action(read_pages, open_page, live_site, make_qf_page, design):  # noqa: F811
    """11.9: every button has an accessible name, and that name starts with the verb of its action."""
    found = read(read_pages, open_page, live_site, make_qf_page, design)
    names = [name for facts in found.values() for name in facts["buttons"]]
    assert len(names) >= 9
    assert [name for name in names if not name.strip().startswith(VERBS)] == []


def test_only_the_franceconnect_link_opens_a_window_and_says_so(
    read_pages,
    open_page,  # noqa: F811
    live_site,
    make_qf_page,
    design,
):
    """13.2: no new window opens without the citizen's asking; the one link that opens one, the
    FranceConnect explanation (FranceConnect's own markup), says so in its title."""
    found = read(read_pages, open_page, live_site, make_qf_page, design)
    windows = [link for facts in found.values() for link in facts["links"] if link["target"]]
    assert {link["href"] for link in windows} == {"https://franceconnect.gouv.fr/"}
    for link in windows:
        assert link["target"] == "_blank"
        assert link["title"].startswith(link["text"]) and "nouvelle fenêtre" in link["title"]
    scripts = "".join(path.read_text() for path in STATIC.glob("*.js"))
    assert not re.search(r"window\.open|_blank|\.target\s*=", scripts)


def test_every_link_has_a_name(read_pages, open_page, live_site, make_qf_page, design):  # noqa: F811
    """6.2 and the automated part of 6.1: every link has a text, and links with the same text go
    to the same place."""
    found = read(read_pages, open_page, live_site, make_qf_page, design)
    links = [link for facts in found.values() for link in facts["links"]]
    assert [link for link in links if not (link["text"] or link["title"])] == []
    places = {}
    for link in links:
        places.setdefault(link["text"], set()).add(link["href"])
    assert {text: hrefs for text, hrefs in places.items() if len(hrefs) > 1} == {}


# -- 13.11 pointer actions ---------------------------------------------------------------------

POINTER_DOWN = re.compile(
    r"addEventListener\(\s*[\"'](mousedown|pointerdown|touchstart)[\"']\s*,\s*function\s*\((\w*)\)\s*\{(.*?)\}\s*\)",
    re.S,
)


def test_no_action_on_pointer_down():
    """13.11: our scripts act on click (the pointer released), never on the press; a press
    handler may only keep the focus where it is (preventDefault), as the combobox's list does."""
    handlers = []
    for path in sorted(STATIC.glob("*.js")):
        source = path.read_text()
        assert not re.search(r"\bon(mousedown|pointerdown|touchstart)\b", source), path.name
        for event, argument, body in POINTER_DOWN.findall(source):
            handlers.append((path.name, event))
            assert body.strip() == f"{argument}.preventDefault();", (path.name, event, body)
        found = len(re.findall(r"[\"'](mousedown|pointerdown|touchstart)[\"']", source))
        assert found == len([h for h in handlers if h[0] == path.name]), f"{path.name}: a handler not checked"
    assert handlers == [("communes.js", "mousedown")]
    templates = Path(STATIC).parents[1] / "templates"
    inline = [
        p.name
        for p in templates.rglob("*.html")
        if re.search(r"on(mouse|pointer)down|ontouchstart", p.read_text())
    ]
    assert inline == []


# -- 7.1 and 7.4: the scripts, read from the accessibility tree --------------------------------


def ax_nodes(page):
    """Chromium's accessibility tree: what it hands to screen readers through the platform API."""
    client = page.context.new_cdp_session(page)
    nodes = []
    for node in client.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("ignored"):
            continue
        properties = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        name, value = node.get("name", {}).get("value", ""), node.get("value", {}).get("value")
        nodes.append({"role": node["role"]["value"], "name": name, "value": value, **properties})
    return nodes


def the(nodes, role, **expected):
    found = [n for n in nodes if n["role"] == role and all(n.get(k) == v for k, v in expected.items())]
    assert len(found) == 1, (role, expected, [n for n in nodes if n["role"] == role])
    return found[0]


def live_text(page, selector):
    return page.locator(selector).text_content().strip()


def test_combobox_roles_names_and_states(open_page, live_site, make_qf_page, design):  # noqa: F811
    """7.1: the commune combobox as exposed to assistive technologies: a named combobox whose
    expanded state follows its list, options named after the communes, the active one selected,
    the number of results then the choice said in a polite live region."""
    qf_page = make_qf_page(allow_identity_form=True)
    page = open_page()
    page.goto(live_site.url + qf_page.url + "sans-franceconnect/")
    page.click("label[for=id_lieu_0]")
    combobox = the(ax_nodes(page), "combobox")
    assert combobox["name"].startswith("Commune de naissance"), combobox
    assert (combobox["expanded"], combobox["autocomplete"], combobox["hasPopup"]) == (
        False,
        "list",
        "listbox",
    )
    open_commune_list(page)
    page.locator("#id_commune_recherche").press("ArrowDown")
    page.wait_for_function("document.querySelector('[role=option][aria-selected=true]')")
    nodes = ax_nodes(page)
    combobox = the(nodes, "combobox")
    assert combobox["expanded"] is True and combobox["controls"] == "id_commune_recherche-listbox"
    assert the(nodes, "listbox")["name"].startswith("Commune de naissance")
    options = [n for n in nodes if n["role"] == "option"]
    assert len(options) >= 2 and all(n["name"].startswith("Rennes") for n in options), options
    assert [n["name"] for n in options if n["selected"]] == [options[0]["name"]]
    status = the(nodes, "status")
    assert (status["live"], status["atomic"]) == ("polite", True)
    found = live_text(page, "[data-qf-communes] [role=status]")
    assert str(len(options)) in found, found
    page.locator("#id_commune_recherche").press("Enter")
    page.wait_for_function(
        "(before) => document.querySelector('[data-qf-communes] [role=status]').textContent.trim() !== before",
        arg=found,
    )
    combobox = the(ax_nodes(page), "combobox")
    assert combobox["expanded"] is False and combobox["value"] == options[0]["name"]
    assert options[0]["name"].split(" (")[0] in live_text(page, "[data-qf-communes] [role=status]")


def test_time_limit_roles_names_and_live_regions(open_page, live_site, qf_page, design):  # noqa: F811
    """7.1: the end-of-session notice as exposed to assistive technologies: the button named after
    its action, the warning said in an assertive live region without moving the focus."""
    page = open_page()
    page.clock.install()
    to_quotient(page, live_site, qf_page)
    nodes = ax_nodes(page)
    the(nodes, "button", name="Prolonger de 15 minutes")
    alert = the(nodes, "alert", live="assertive")
    assert alert["atomic"] is True
    page.locator("#id_children_0").focus()
    page.clock.fast_forward(13 * MINUTE + 30 * 1000)
    page.wait_for_function("document.querySelector('[data-qf-announce]').textContent.startsWith('Attention')")
    the(ax_nodes(page), "alert", live="assertive")  # still one, still exposed, now with the warning
    assert live_text(page, "[role=alert][data-qf-announce]").startswith("Attention")
    assert page.evaluate("document.activeElement.id") == "id_children_0"  # said, the focus left alone


def test_no_change_of_context_without_asking(open_page, live_site, make_qf_page, design):  # noqa: F811
    """7.4: choosing a commune in the list does not send the form, and the end of the session
    changes the page in place: no navigation either way."""
    qf_page = make_qf_page(allow_identity_form=True)
    page = open_page()
    page.goto(live_site.url + qf_page.url + "sans-franceconnect/")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    open_commune_list(page)
    page.locator("#id_commune_recherche-listbox [role=option]").first.click()
    page.wait_for_timeout(300)
    assert navigations == [] and page.locator("#erreurs").count() == 0
    assert page.locator("#id_commune_recherche").input_value()
    page = open_page()
    page.clock.install()
    to_quotient(page, live_site, qf_page)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.clock.fast_forward(15 * MINUTE + 1000)
    page.locator("[data-qf-expired]").wait_for()
    assert navigations == []


# -- 3.1, 3.3 and 10.5: colours ----------------------------------------------------------------


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(one, other):
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def pixels(page, box, margin):
    """The screenshot of ``box`` and ``margin`` pixels around it."""
    from PIL import Image

    clip = {
        "x": box["x"] - margin,
        "y": box["y"] - margin,
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    image = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    return image


def boundary_contrast(page, selector):
    """The strongest contrast between the control as drawn and the page around it."""
    locator = page.locator(selector).first
    locator.scroll_into_view_if_needed()
    image = pixels(page, locator.bounding_box(), 4)
    around = image.getpixel((0, 0))
    return max(ratio(pixel, around) for pixel in image.getdata())


def focus_contrast(page, selector):
    """The strongest contrast between the focused and the unfocused look of the same pixels."""
    locator = page.locator(selector).first
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.evaluate("document.activeElement.blur()")
    before = pixels(page, box, 6)
    locator.focus()
    after = pixels(page, box, 6)
    return max(ratio(a, b) for a, b in zip(before.getdata(), after.getdata(), strict=True))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_controls_and_focus_contrast_3_to_1(open_page, live_site, make_qf_page, design, scheme):  # noqa: F811
    """3.3: the edge of the text fields, radio buttons and checkboxes, and the focus indicator,
    contrast at least 3:1 with what is around them, in the light and dark schemes."""
    qf_page = make_qf_page(allow_identity_form=True)
    page = open_page(scheme=scheme)
    page.goto(live_site.url + qf_page.url + "sans-franceconnect/")
    if design == "dsfr":
        page.wait_for_function(f"document.documentElement.getAttribute('data-fr-theme') === '{scheme}'")
    found = {}
    for selector in ("#id_nom_naissance", "#id_sexe_0", "#id_confirm"):
        found[selector] = round(boundary_contrast(page, selector), 2)
    page.keyboard.press("Tab")  # keyboard modality: :focus-visible applies
    for selector in ("#id_nom_naissance", "#id_sexe_0", "#id_confirm", "button[type=submit] >> nth=-1"):
        found["focus " + selector] = round(focus_contrast(page, selector), 2)
    assert {what: value for what, value in found.items() if value < 3} == {}


TEXT_COLOURS = """() => {
    // Each visible text: its colour and the background it is drawn on (the first ancestor, or
    // itself, with a background colour set); none may be drawn on the browser's default.
    const opaque = (c) => c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c);
    return [...document.querySelectorAll('body *')].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && !el.closest('[hidden], .fr-sr-only, .qf-sr-only')
            && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    }).map((el) => {
        let back = el;
        while (back && !opaque(getComputedStyle(back).backgroundColor)) back = back.parentElement;
        const s = getComputedStyle(el);
        return {text: el.textContent.trim().slice(0, 30), color: s.color,
                background: back ? getComputedStyle(back).backgroundColor : null,
                large: parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && Number(s.fontWeight) >= 700)};
    });
}"""


def rgb(css):
    return [float(v) for v in re.findall(r"[\d.]+", css)[:3]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_text_colour_has_its_background(open_page, live_site, make_qf_page, design, scheme, kind):  # noqa: F811
    """10.5: every text whose colour is set is drawn on a background colour set by the page, not
    on the browser's default, and reads on it (4.5:1, 3:1 large) in both schemes."""
    page = open_page(scheme=scheme)
    visit(page, live_site, make_qf_page, kind)
    texts = page.evaluate(TEXT_COLOURS)
    assert [t["text"] for t in texts if t["background"] is None] == []
    weak = [
        (t["text"], round(ratio(rgb(t["color"]), rgb(t["background"])), 2))
        for t in texts
        if ratio(rgb(t["color"]), rgb(t["background"])) < (3 if t["large"] else 4.5)
    ]
    assert weak == []


GREY = "html { filter: grayscale(1) !important; }"


def test_states_do_not_rest_on_colour(open_page, live_site, qf_page, design):  # noqa: F811
    """3.1: in shades of grey, a ticked box still looks ticked; each field in error says so in
    words; a link is underlined unless it is drawn as a button."""
    page = open_page()
    to_quotient(page, live_site, qf_page)
    page.add_style_tag(content=GREY)
    box = page.locator("#id_children_0").locator("xpath=..")  # the box and its label
    before = box.screenshot()
    page.click("label[for=id_children_0]")
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")
    assert box.screenshot() != before, "ticked and not ticked look the same in grey"
    page.click("text=Transmettre mes données")
    page.wait_for_selector("[aria-invalid=true]", state="attached")  # the page drawn again, with its errors
    invalid = page.evaluate("""() => [...document.querySelectorAll('[aria-invalid=true]')].map((el) =>
        (el.getAttribute('aria-describedby') || '').split(/\\s+/).map((id) => document.getElementById(id))
            .filter((d) => d && d.textContent.trim()).length)""")
    assert invalid and all(invalid), invalid
    page.goto(live_site.url + qf_page.url)  # the start page: links among the text
    links = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('main a')].map((a) => {
        const s = getComputedStyle(a);
        const button = s.backgroundColor !== 'rgba(0, 0, 0, 0)' || parseFloat(s.borderTopWidth) > 0;  // a shape
        return [a.textContent.trim(), button || s.textDecorationLine.includes('underline')
            || s.backgroundImage !== 'none' || s.borderBottomStyle !== 'none'];
    }))""")
    assert len(links) >= 2 and all(links.values()), links
