"""Issue 21, item 8: the page editor's panel shows the page's QR code, downloadable as SVG and PNG,
and an A4 poster; the codes decode (zxing-cpp) to the page's public address; only the page's
editors download them."""

import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def decoded(image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def svg_image(svg: bytes, scale=4) -> Image.Image:
    """The SVG segno writes (one path of unit lines: ``M``/``m`` moves, ``h`` runs), drawn in pixels."""
    text = svg.decode()
    width, height = (int(float(v)) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', text).groups())
    path = re.search(r' d="([^"]+)"', text).group(1)
    transform = re.search(r'transform="scale\(([\d.]+)\)"', text)
    unit = float(transform.group(1)) if transform else 1.0
    image = Image.new("L", (round(width / unit) * scale, round(height / unit) * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, *numbers in re.findall(r"([MmHh])(-?[\d.]+)(?:\s+|(?=-))?(-?[\d.]+)?", path):
        a = float(numbers[0])
        b = float(numbers[1]) if numbers[1] else 0.0
        if command == "M":
            x, y = a, b
        elif command == "m":
            x, y = x + a, y + b
        else:  # a horizontal run of dark modules on the row around y
            end = a if command == "H" else x + a
            row = int(y)
            draw.rectangle([x * scale, row * scale, end * scale - 1, (row + 1) * scale - 1], fill=0)
            x = end
    return image


@pytest.fixture
def editor(client, make_agent, two_communes):
    """An agent who may edit commune B's pages (``two_communes``), not commune A's."""
    client.force_login(make_agent("betty", two_communes[2]))
    return two_communes[3]


def download(client, page, name):
    return client.get(reverse(f"wagtail_qf_share:{name}", args=[page.pk]))


def test_svg_and_png_decode_to_the_page_url(client, editor):
    url = editor.get_full_url()
    assert url == "http://rennes.test/qf-b/"
    png = download(client, editor, "qr_png")
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == 'attachment; filename="qf-b-qr-code.png"'
    assert decoded(Image.open(io.BytesIO(png.content))) == [url]
    svg = download(client, editor, "qr_svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert decoded(svg_image(svg.content)) == [url]


def test_the_svg_reader_is_no_yes_man():
    """The test's SVG reader draws what the path says: another address decodes to itself."""
    from wagtail_qf.qr import qr_svg

    assert decoded(svg_image(qr_svg("https://autre.test/x/"))) == ["https://autre.test/x/"]


def test_poster_is_an_a4_page_with_the_commune_the_address_and_a_code_to_it(client, editor):
    response = download(client, editor, "poster")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Commune de Rennes" in text and "Transmettez votre quotient familial en ligne" in text
    assert "http://rennes.test/qf-b/" in text  # the address in clear
    (image,) = pdf.pages[0].images
    assert decoded(image.image) == ["http://rennes.test/qf-b/"]


@pytest.mark.parametrize("name", ["qr_svg", "qr_png", "poster"])
def test_only_the_page_editors_download_it(client, editor, two_communes, name):
    other = two_communes[1]  # commune A's page: not this agent's
    response = download(client, other, name)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    client.logout()
    response = download(client, editor, name)
    assert response.status_code == 302 and "login" in response["Location"]


def test_page_editor_shows_the_code_and_the_downloads(client, editor):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[editor.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Code QR et affiche" in html and 'class="segno"' in html
    for name in ("qr_svg", "qr_png", "poster"):
        assert reverse(f"wagtail_qf_share:{name}", args=[editor.pk]) in html
