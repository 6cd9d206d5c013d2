"""RGAA 13.1 in the browser (issue 22, item 1): the end of the session is written, announced
before it comes, extended in place with JavaScript and with the ticks kept without it."""

import pytest

from wagtail_qf.models import Submission

from .test_rgaa import open_page, to_quotient  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

MINUTE = 60 * 1000


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


def announced(page):
    return page.locator("[data-qf-time-limit] [role=alert]")


def test_time_limit_is_announced_and_extended_in_place(open_page, live_site, qf_page, design):  # noqa: F811
    page = open_page()
    page.clock.install()
    to_quotient(page, live_site, qf_page)
    page.click("label[for=id_children_1]")
    until = page.locator("[data-qf-until]")
    first = until.text_content()
    assert announced(page).text_content() == ""
    page.clock.fast_forward(13 * MINUTE + 30 * 1000)  # the warning comes 2 minutes before the end
    page.wait_for_function("document.querySelector('[data-qf-announce]').textContent.startsWith('Attention')")
    assert f"effacées à {first}" in announced(page).text_content()
    url = page.url
    page.click("text=Prolonger de 15 minutes")
    page.wait_for_function(
        "(first) => document.querySelector('[data-qf-until]').textContent !== first", arg=first
    )
    expected = f"Votre session est prolongée jusqu'à {until.text_content()}."
    page.wait_for_function(
        "(text) => document.querySelector('[data-qf-announce]').textContent === text", arg=expected
    )
    assert page.url == url and page.is_checked("#id_children_1")  # in place: the ticks are there
    assert page.evaluate("'qfExtend' in document.activeElement.dataset")  # the focus stays on the button


def test_extension_without_javascript_keeps_the_ticks(open_page, live_site, qf_page, design):  # noqa: F811
    page = open_page(javascript=False)
    to_quotient(page, live_site, qf_page)
    first = page.text_content("[data-qf-until]")
    ticked = page.text_content("label[for=id_children_1]").split()[0]  # « LUCIE DUPONT, née le… »
    page.click("label[for=id_children_1]")
    page.click("label[for=id_confirm]")
    page.click("text=Prolonger de 15 minutes")
    assert page.text_content("[data-qf-until]") != first
    assert "Votre session est prolongée jusqu'à" in page.inner_text("[data-qf-time-limit]")
    assert page.is_checked("#id_children_1") and page.is_checked("#id_confirm")
    assert not page.is_checked("#id_children_0")
    assert page.locator("[aria-invalid=true], .fr-error-text, .qf-error").count() == 0
    page.wait_for_function("document.activeElement?.name === 'prolonger'")  # autofocus: back on the button
    assert Submission.objects.count() == 0
    page.click("text=Transmettre mes données")  # and the kept ticks are what is sent
    page.wait_for_url("**/confirmation/")
    (child,) = Submission.objects.get().children
    assert child["prenoms"].casefold() == ticked.casefold()


def test_expiry_says_what_happened(open_page, live_site, qf_page, design):  # noqa: F811
    page = open_page()
    page.clock.install()
    to_quotient(page, live_site, qf_page)
    page.clock.fast_forward(15 * MINUTE + 1000)
    notice = page.locator("[data-qf-expired]")
    notice.wait_for()
    assert "Rien n'a été transmis" in notice.inner_text()
    page.wait_for_function(  # said, not only shown
        "document.querySelector('[data-qf-announce]').textContent.includes('ne seront pas conservées')"
    )
    assert page.locator("[data-qf-running]").is_hidden()
    assert notice.get_by_role("link", name="Recommencer ma démarche").get_attribute("href") == qf_page.url
