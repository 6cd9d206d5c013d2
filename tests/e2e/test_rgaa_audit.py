"""The automated part of the RGAA 4.1 audit grid (docs/accessibility/rgaa-grid.csv), on every
citizen page type, in both designs: structure, keyboard, reflow, zoom, text spacing, titles.

Each test is named in the grid's ``tests`` column for the criteria it proves.
"""

import re

import pytest

from ..factories import serve_communes
from .test_rgaa import assert_no_horizontal_scroll, log_in, open_page, to_quotient  # noqa: F401
from .test_served_communes import FIFTEEN

pytestmark = pytest.mark.e2e

KINDS = [
    "start",
    "consent",
    "quotient",
    "error",
    "confirmation",
    "summary",
    "identity",
    "communes",
    "statement",
]
STATEMENT = "/qf/accessibilite/"


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


def visit(page, live_site, make_qf_page, kind):
    """Bring the browser to a page of type ``kind`` (a column of the grid)."""
    if kind == "statement":
        page.goto(live_site.url + STATEMENT)
        return
    if kind == "communes":
        qf_page = serve_communes(
            make_qf_page(title="Quotient familial intercommunal", commune_name="Rennes Métropole"), FIFTEEN
        )
        page.goto(live_site.url + qf_page.url)
        return
    qf_page = make_qf_page(allow_identity_form=True)
    if kind == "start":
        page.goto(live_site.url + qf_page.url)
    elif kind == "identity":
        page.goto(live_site.url + qf_page.url + "sans-franceconnect/")
    elif kind == "consent":
        log_in(page, live_site, qf_page)
    elif kind == "error":
        page.goto(live_site.url + qf_page.url)
        page.click("button.fr-connect")
        page.check("#identity-inconnu")
        page.click("button[name=login]")
        page.wait_for_url("**/quotient/")
    else:
        to_quotient(page, live_site, qf_page)
        if kind in ("confirmation", "summary"):
            page.click("label[for=id_children_0]")
            page.click("label[for=id_confirm]")
            page.click("text=Transmettre mes données")
            page.wait_for_url("**/confirmation/")
        if kind == "summary":
            page.click("text=Version accessible (HTML)")
            page.wait_for_url("**/recapitulatif/html/")


STRUCTURE = """() => {
    const all = (selector) => [...document.querySelectorAll(selector)];
    const ids = all('[id]').map((el) => el.id);
    const levels = all('h1, h2, h3, h4, h5, h6').map((h) => Number(h.tagName[1]));
    return {
        doctype: document.doctype && document.doctype.name,
        lang: document.documentElement.lang,
        title: document.title,
        images: all('img, svg, canvas, area, object, embed, input[type=image], [role=img]').length,
        frames: all('iframe, frame').length,
        media: all('video, audio').length,
        tables: all('table, [role=table], [role=grid]').length,
        presentational: all('b, i, u, font, center, big, blink, marquee, [align], [bgcolor]').map((el) => el.tagName),
        styled: all('body [style]').filter((el) => !el.closest('[hidden]')).map((el) => el.outerHTML.slice(0, 80)),
        duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
        levels,
        banner: all('header, [role=banner]').filter((el) => !el.closest('main')).length,
        main: all('main, [role=main]').length,
        contentinfo: all('footer, [role=contentinfo]').filter((el) => !el.closest('main')).length,
        words: document.querySelector('main').innerText.split(/\\s+/).filter(Boolean),
        cssText: all('main *').flatMap((el) => ['::before', '::after'].map((p) => getComputedStyle(el, p).content))
            .filter((c) => c.startsWith('"')),
    };
}"""


@pytest.mark.parametrize("kind", KINDS)
def test_structure(open_page, live_site, make_qf_page, design, kind):  # noqa: F811
    """8.1 doctype, 8.3/8.4 lang, 8.5 title, 8.9 and 10.1 no presentational markup, 9.1 headings,
    9.2/12.6 landmarks; no images, frames, media or tables (themes 1, 2, 4, 5 not applicable);
    10.2 the content is all there without the style sheets."""
    page = open_page()
    visit(page, live_site, make_qf_page, kind)
    facts = page.evaluate(STRUCTURE)
    assert facts["doctype"] == "html" and facts["lang"] == "fr"
    assert facts["title"].strip() and " – " in facts["title"]
    assert (facts["images"], facts["frames"], facts["media"], facts["tables"]) == (0, 0, 0, 0)
    assert facts["presentational"] == [] and facts["styled"] == []
    assert facts["duplicateIds"] == []
    levels = facts["levels"]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert (facts["banner"], facts["main"], facts["contentinfo"]) == (1, 1, 1)
    page.evaluate("document.querySelectorAll('link[rel=stylesheet], style').forEach((s) => s.remove())")
    written = [re.sub(r"\\[0-9a-fA-F]{1,6} ?", "", text) for text in facts["cssText"]]  # « \a »: a line break
    assert [
        text for text in written if any(c.isalnum() for c in text)
    ] == []  # nothing said by the style sheets
    without_styles = "".join(page.evaluate(STRUCTURE)["words"])  # blocks then run together
    assert [word for word in facts["words"] if word not in without_styles] == []


FOCUS = """() => {
    // Visible focus: the focused element, or an ancestor drawing its ring (DSFR's enlarged links),
    // looks different focused and not focused.
    const el = document.activeElement;
    const looks = () => {
        const parts = [];
        for (let node = el, depth = 0; node && depth < 4; node = node.parentElement, depth++) {
            for (const pseudo of [null, '::before', '::after']) {
                const s = getComputedStyle(node, pseudo);
                parts.push(s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
                           s.borderColor, s.textDecorationLine);
            }
        }
        return parts.join('|');
    };
    const focused = looks();
    el.blur();
    const blurred = looks();
    el.focus();
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName, text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
        visible: focused !== blurred && box.width > 0 && box.height > 0,
        index: [...document.querySelectorAll('*')].indexOf(el),
        skip: el.getAttribute('href') === '#contenu',
    };
}"""


@pytest.mark.parametrize("kind", KINDS)
def test_keyboard_walk(open_page, live_site, make_qf_page, design, kind):  # noqa: F811
    """10.7 the focus is visible, 12.8 the tab order follows the page, 12.9 no trap, 12.7 and
    10.14 the skip link comes first, shows on focus and goes to the content."""
    page = open_page()
    visit(page, live_site, make_qf_page, kind)
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.reload()
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS)
    assert first["skip"] and first["visible"], first
    walk = [first]
    for _ in range(80):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["tag"] == "BODY" or focus["index"] <= walk[-1]["index"]:
            break  # out of the page, or back to its top: no trap
        walk.append(focus)
    else:
        pytest.fail(f"the focus never leaves the page: {walk[-3:]}")
    assert [f for f in walk if not f["visible"]] == [], "focus not visible"
    assert len(walk) >= 3, walk
    page.reload()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(
        "document.activeElement.id === 'contenu' || !!document.activeElement.closest('main')"
    )


TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""

CLIPPED_OR_OVERLAPPING = """() => {
    const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const texts = [...document.querySelectorAll('body *')].filter((el) => visible(el)
        && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
    const clipped = texts.filter((el) => {
        const s = getComputedStyle(el);
        return /hidden|clip/.test(s.overflowX + s.overflowY) && !el.closest('.fr-sr-only, .qf-sr-only')
            && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    }).map((el) => el.outerHTML.slice(0, 80));
    const overlapping = [];
    // An inline element that wraps has one box per line (getClientRects): its bounding box would
    // also cover the start of its last line, where the next inline element sits beside it.
    const boxes = texts.map((el) => [el, [...el.getClientRects()]]);
    const meet = (ra, rb) => Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 2
        && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 2;
    for (const [a, ras] of boxes) for (const [b, rbs] of boxes) {
        if (a === b || a.contains(b) || b.contains(a) || a.compareDocumentPosition(b) & 2) continue;
        if (ras.some((ra) => rbs.some((rb) => meet(ra, rb))))
            overlapping.push(a.textContent.trim().slice(0, 30) + ' / ' + b.textContent.trim().slice(0, 30));
    }
    return {clipped, overlapping};
}"""


@pytest.mark.parametrize("kind", KINDS)
def test_reflow_zoom_and_text_spacing(open_page, live_site, make_qf_page, design, kind):  # noqa: F811
    """10.11 no horizontal scroll at 320 px, 10.4 nor at 200 % (1280 px seen through 640 px),
    13.9 nor in landscape, 10.12 the WCAG text spacing clips and overlaps nothing."""
    page = open_page(width=320)
    visit(page, live_site, make_qf_page, kind)
    for width, height in ((320, 900), (640, 900), (740, 360)):
        page.set_viewport_size({"width": width, "height": height})
        assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.add_style_tag(content=TEXT_SPACING)
    found = page.evaluate(CLIPPED_OR_OVERLAPPING)
    assert found == {"clipped": [], "overlapping": []}
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scroll(page)
    assert page.evaluate(CLIPPED_OR_OVERLAPPING)["clipped"] == []


def test_titles_are_unique_per_step(open_page, live_site, make_qf_page, design):  # noqa: F811
    """8.6: each page type has its own title, naming the step and the service."""
    titles = {}
    for kind in KINDS:
        page = open_page()
        visit(page, live_site, make_qf_page, kind)
        titles[kind] = page.title()
        page.context.close()
        _clean_pages()
    assert len(set(titles.values())) == len(titles), titles


def test_identity_fields_declare_their_purpose(open_page, live_site, make_qf_page, design):  # noqa: F811
    """11.13: the citizen's own name, first names and e-mail carry their autocomplete purpose."""
    page = open_page()
    visit(page, live_site, make_qf_page, "identity")
    purposes = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('input[autocomplete]')]"
        ".map((el) => [el.name, el.autocomplete]))"
    )
    assert {purposes[n] for n in ("nom_naissance", "prenoms", "email")} == {
        "family-name",
        "given-name",
        "email",
    }
    assert purposes["prenoms"] == "given-name" and purposes["email"] == "email"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 320])
def test_other_pages_pass_axe(open_page, live_site, make_qf_page, design, scheme, width, axe):  # noqa: F811
    """The pages ``test_rgaa.test_citizen_pages_pass_axe`` does not walk through."""
    found = {}
    for kind in ("error", "summary", "communes", "statement"):
        page = open_page(width, scheme)
        visit(page, live_site, make_qf_page, kind)
        found[kind] = axe(page)
        _clean_pages()
    assert {kind: violations for kind, violations in found.items() if violations} == {}


def _clean_pages():
    """Each visit makes its QF page: the next one takes the same slug."""
    from wagtail_qf.models import QFTransmissionPage

    for qf_page in QFTransmissionPage.objects.all():
        qf_page.delete()
