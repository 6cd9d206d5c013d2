"""RGAA 4.1 on the citizen pages (issue 22): what axe alone does not see.

Layout (one checkbox per line, no horizontal scroll at 320 px), dark mode, English browsers,
the heading of the recipient, focus after errors and after a search without JavaScript,
the form's default button, and the combobox's messages and looks; then axe in both colour
schemes, both designs, at 1280 px and 320 px.
"""

import pytest

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": 1280, "mobile": 320}


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


@pytest.fixture
def open_page(browser):
    """A new page with the given viewport width, colour scheme, JavaScript and browser language."""
    contexts = []

    def open_(width=1280, scheme="light", javascript=True, locale="fr-FR"):
        context = browser.new_context(
            locale=locale,
            viewport={"width": width, "height": 900},
            bypass_csp=True,
            color_scheme=scheme,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def identity_page(make_qf_page):
    return make_qf_page(allow_identity_form=True)


def log_in(page, live_site, qf_page, identity="sans_nom_dusage"):
    page.goto(live_site.url + qf_page.url)
    page.click("button.fr-connect")
    page.check(f"#identity-{identity}")
    page.click("button[name=login]")
    page.wait_for_url("**/consentement/")


def to_quotient(page, live_site, qf_page):
    log_in(page, live_site, qf_page)
    page.goto(live_site.url + qf_page.url + "quotient/")


def open_commune_list(page):
    """Born in France, « rennes » typed: the combobox's list is open."""
    page.click("label[for=id_lieu_0]")  # the label: DSFR draws its own radio buttons
    page.locator("#id_commune_recherche").type("rennes")
    page.wait_for_selector("#id_commune_recherche-listbox [role=option]")


# -- 2. one checkbox per line, no horizontal scroll ------------------------------------------


def assert_one_per_line(page, selector):
    """Each control of ``selector`` starts a new line, below the previous one's label."""
    # A click that submits a form returns before the next page is drawn: wait for its controls.
    page.wait_for_selector(selector, state="attached")
    boxes = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((input) => {
            const label = document.querySelector(`label[for="${input.id}"]`);
            const box = label.getBoundingClientRect();
            const control = (getComputedStyle(input).opacity === '0' ? label : input).getBoundingClientRect();
            return {id: input.id, left: control.left, top: box.top, bottom: box.bottom};
        })""",
        selector,
    )
    assert len(boxes) >= 2, boxes
    for previous, box in zip(boxes, boxes[1:], strict=False):
        assert box["top"] >= previous["bottom"] - 1, f"{box['id']} is on the line of {previous['id']}"
        assert abs(box["left"] - previous["left"]) < 2, f"{box['id']} is not aligned with {previous['id']}"


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls horizontally by {overflow}px"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_children_checkboxes_one_per_line(open_page, live_site, qf_page, design, width, screenshot):
    page = open_page(width)
    to_quotient(page, live_site, qf_page)
    assert_one_per_line(page, "input[name=children]")
    assert_no_horizontal_scroll(page)
    page.click("text=Transmettre mes données")  # with the errors and the « no child » box
    assert_one_per_line(page, "input[name=children], input[name=no_child]")
    assert_no_horizontal_scroll(page)
    screenshot(page, f"rgaa-enfants-{design}-{width}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_identity_form_choices_one_per_line(open_page, live_site, identity_page, design, width):
    page = open_page(width, javascript=False)
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    assert_no_horizontal_scroll(page)
    page.fill("#id_commune_recherche", "chatillon")
    page.click("text=Rechercher la commune")
    assert_one_per_line(page, "input[name=commune]")
    assert_no_horizontal_scroll(page)


def test_children_fieldset_has_the_design_system_markup(open_page, live_site, qf_page, design):
    page = open_page()
    to_quotient(page, live_site, qf_page)
    fieldset = page.locator("fieldset:has(input[name=children])")
    assert fieldset.locator("> legend.fr-fieldset__legend").count() == 1
    assert fieldset.locator("> .fr-fieldset__element > .fr-checkbox-group input[name=children]").count() == 3
    assert "Cochez les enfants" in fieldset.locator("> legend").inner_text()  # the hint, read with the legend


# -- 3. dark mode ----------------------------------------------------------------------------


def contrast(page, selector):
    """The contrast ratio of the text of ``selector`` on its own background colour."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const lum = (c) => {
                const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
                    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            let back = el;  // the first ancestor with a background colour
            while (back.parentElement && getComputedStyle(back).backgroundColor.match(/[\\d.]+/g).length === 4
                   && Number(getComputedStyle(back).backgroundColor.match(/[\\d.]+/g)[3]) === 0) {
                back = back.parentElement;
            }
            const [a, b] = [lum(getComputedStyle(el).color), lum(getComputedStyle(back).backgroundColor)]
                .sort((x, y) => y - x);
            return (a + 0.05) / (b + 0.05);
        }""",
        selector,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_combobox_readable_in_both_schemes(
    open_page, live_site, identity_page, design, scheme, axe, screenshot
):
    page = open_page(scheme=scheme)
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    if design == "dsfr":
        page.wait_for_function(f"document.documentElement.getAttribute('data-fr-theme') === '{scheme}'")
    open_commune_list(page)
    assert contrast(page, "#id_commune_recherche") >= 4.5
    assert contrast(page, "#id_commune_recherche-listbox [role=option]") >= 4.5
    page.locator("#id_commune_recherche").press("ArrowDown")
    assert contrast(page, "#id_commune_recherche-listbox [aria-selected=true]") >= 4.5
    screenshot(page, f"rgaa-combobox-{design}-{scheme}")
    assert axe(page) == []


# -- 5. English browsers ---------------------------------------------------------------------


def test_combobox_messages_come_from_the_template(open_page, live_site, identity_page, design):
    page = open_page(locale="en-GB")
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    root = page.locator("[data-qf-communes]")
    for key in ("found-none", "found-one", "found-many", "chosen", "choose"):
        assert root.get_attribute(f"data-qf-{key}"), key
    open_commune_list(page)
    status = page.locator("[data-qf-communes] [role=status]")
    count = page.locator("#id_commune_recherche-listbox [role=option]").count()
    expected = root.get_attribute("data-qf-found-many").replace("{n}", str(count))
    page.wait_for_function(
        "(text) => document.querySelector('[data-qf-communes] [role=status]').textContent === text",
        arg=expected,
    )
    assert status.text_content() == expected


def test_cms_texts_carry_the_page_language(open_page, live_site, make_qf_page, design):
    qf_page = make_qf_page(
        texts=[
            ("step_text", {"step": "start", "text": "<p>Texte de la mairie</p>"}),
            ("help", {"step": "start", "title": "Aide de la mairie", "text": "<p>Appelez-nous</p>"}),
        ]
    )
    page = open_page(locale="en-GB")
    page.goto(live_site.url + qf_page.url)
    assert page.get_attribute("html", "lang") == "en"
    for text in ("Quotient familial", "Texte de la mairie", "Aide de la mairie", "Appelez-nous"):
        lang = page.locator(f"main :text-is('{text}')").first.evaluate("el => el.closest('[lang]').lang")
        assert lang == "fr", text


def test_cms_texts_have_no_lang_when_the_page_is_in_its_language(open_page, live_site, qf_page, design):
    page = open_page()
    page.goto(live_site.url + qf_page.url)
    assert page.locator("main [lang]").count() == 0


# -- 6. the recipient is a heading -----------------------------------------------------------


def test_recipient_title_is_a_heading(open_page, live_site, qf_page, design):
    page = open_page()
    page.goto(live_site.url + qf_page.url)
    heading = page.get_by_role("heading", name="Destinataire de vos données")
    assert heading.evaluate("el => el.tagName") == "H2"
    levels = page.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
        ".map((h) => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


# -- Also fix --------------------------------------------------------------------------------


def test_error_summary_is_focused(open_page, live_site, identity_page, design):
    page = open_page()
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    page.click("text=Envoyer ma demande")
    assert page.locator("#erreurs").is_visible()
    page.wait_for_function("document.activeElement?.id === 'erreurs'")  # autofocus, at the next rendering


def test_error_summary_is_focused_without_javascript(open_page, live_site, identity_page, design):
    page = open_page(javascript=False)
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    page.click("text=Envoyer ma demande")
    page.wait_for_function("document.activeElement?.id === 'erreurs'")  # autofocus, at the next rendering


def test_hints_are_read_once(open_page, live_site, identity_page, design):
    """No description repeats a text already in the field's label."""
    page = open_page()
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    page.click("label[for=id_lieu_0]")
    repeated = page.evaluate("""() => [...document.querySelectorAll('[aria-describedby]')].flatMap((el) =>
        el.getAttribute('aria-describedby').split(/\\s+/).filter((id) => {
            const described = document.getElementById(id);
            const names = el.labels ? [...el.labels] : [el.querySelector(':scope > legend')];
            return described && names.some((name) => name && name.contains(described));
        }).map((id) => `${el.id || el.tagName}: ${id}`))""")
    assert repeated == []


def invalid_controls(page):
    """The form controls the browser exposes as invalid to assistive technologies."""
    client = page.context.new_cdp_session(page)
    nodes = client.send("Accessibility.getFullAXTree")["nodes"]
    return [
        node["name"]["value"]
        for node in nodes
        if node.get("role", {}).get("value") in ("radio", "checkbox", "textbox", "combobox")
        and any(p["name"] == "invalid" and p["value"]["value"] != "false" for p in node.get("properties", []))
    ]


def test_untouched_fields_are_not_invalid(open_page, live_site, identity_page, design):
    page = open_page()
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    assert page.locator("[aria-invalid]").count() == 0
    assert invalid_controls(page) == []
    page.click("text=Envoyer ma demande")  # after a submission, the missing answers are invalid
    page.wait_for_selector("#erreurs")
    assert {"Femme", "Homme", "En France"} <= set(invalid_controls(page))
    log_in(page, live_site, identity_page)
    page.click('text="Continuer"')
    assert invalid_controls(page) == []
    page.click("text=Transmettre mes données")
    assert page.locator("#id_confirm").get_attribute("aria-invalid") == "true"


def test_enter_in_a_field_sends_the_form_without_javascript(open_page, live_site, identity_page, design):
    page = open_page(javascript=False)
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    page.fill("#id_nom_naissance", "Dupont")
    with page.expect_navigation():
        page.press("#id_nom_naissance", "Enter")
    assert page.locator("#erreurs").is_visible()  # the main action: the form checked, not a search


def test_focus_goes_to_the_results_after_a_search_without_javascript(
    open_page, live_site, identity_page, design
):
    page = open_page(javascript=False)
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    page.fill("#id_commune_recherche", "rennes")
    page.click("text=Rechercher la commune")
    # While the next page loads there is no active element: the checks must not throw then.
    page.wait_for_function("document.activeElement?.name === 'commune'")
    page.fill("#id_commune_recherche", "xyzzy")
    page.click("text=Rechercher la commune")
    page.wait_for_function("document.activeElement?.textContent.includes('Aucune commune ne correspond')")


def test_confirm_error_is_styled_as_an_error(open_page, live_site, qf_page, design):
    page = open_page()
    to_quotient(page, live_site, qf_page)
    page.click("text=Transmettre mes données")
    message = page.locator("#confirm-errors")
    assert message.is_visible()
    red, green, blue = map(
        int, message.evaluate("el => getComputedStyle(el).color").strip("rgba()").split(",")[:3]
    )
    assert red > 150 and green < 60 and blue < 60, (red, green, blue)
    assert page.locator("#id_confirm").get_attribute("aria-describedby") == "confirm-errors"


def test_hovered_option_looks_different_from_the_selected_one(open_page, live_site, identity_page, design):
    page = open_page()
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    open_commune_list(page)
    page.locator("#id_commune_recherche").press("ArrowDown")
    options = page.locator("#id_commune_recherche-listbox [role=option]")
    assert options.count() >= 2
    options.nth(1).hover()
    look = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color, s.outlineStyle].join(' '); }"
    assert options.nth(0).evaluate(look) != options.nth(1).evaluate(look)


def test_enter_without_a_choice_says_so(open_page, live_site, identity_page, design):
    page = open_page()
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    open_commune_list(page)
    expected = page.get_attribute("[data-qf-communes]", "data-qf-choose")
    assert expected
    page.locator("#id_commune_recherche").press("Enter")
    page.wait_for_function(
        "(text) => document.querySelector('[data-qf-communes] [role=status]').textContent === text",
        arg=expected,
    )
    assert page.url.endswith("/sans-franceconnect/")


# -- axe: both schemes, both designs, 1280 and 320 px ----------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_citizen_pages_pass_axe(open_page, live_site, make_qf_page, design, scheme, width, axe):
    qf_page = make_qf_page(allow_identity_form=True)
    page = open_page(width, scheme)
    found = {}

    def check(name):
        found[name] = axe(page)
        assert "{#" not in page.inner_text("body"), f"{name}: a template comment is shown"
        assert_no_horizontal_scroll(page)

    page.goto(live_site.url + qf_page.url)
    check("start")
    page.goto(live_site.url + qf_page.url + "sans-franceconnect/")
    open_commune_list(page)
    check("identity, list open")
    page.click("text=Envoyer ma demande")
    check("identity with errors")
    log_in(page, live_site, qf_page)
    check("consent")
    page.click('text="Continuer"')
    check("quotient")
    page.click("text=Transmettre mes données")
    check("quotient with errors")
    page.click("label[for=id_children_0]")
    page.click("label[for=id_confirm]")
    page.click("text=Transmettre mes données")
    check("confirmation")
    assert {name: violations for name, violations in found.items() if violations} == {}


def test_focus_goes_to_the_count_after_a_commune_search_without_javascript(
    open_page, live_site, make_qf_page, design
):
    from ..factories import serve_communes
    from .test_served_communes import FIFTEEN

    qf_page = serve_communes(make_qf_page(commune_name="Rennes Métropole"), FIFTEEN)
    page = open_page(javascript=False)
    page.goto(live_site.url + qf_page.url)
    page.fill("#id_commune_recherche", "cesson")
    page.click("text=Rechercher")
    page.wait_for_function("document.activeElement?.textContent.includes('1 commune trouvée')")
