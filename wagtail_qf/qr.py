"""The page's QR code: its public address, as SVG, PNG or an inline ``<svg>`` element.

segno (pure Python) is imported by the functions that use it: nothing is loaded until an
editor opens a page or downloads the code (``page_panel``, ``share``).
"""

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno

# Quiet zone of 4 modules (the QR code standard's), and the error correction level "M" (15 %):
# a printed code stays readable when a little of it is folded or soiled.
BORDER = 4
ERROR = "m"
PNG_SCALE = 10  # pixels per module
SVG_SCALE = 8  # user units per module (an SVG scales without loss anyway)


def qr_code(url: str) -> "segno.QRCode":
    import segno

    return segno.make(url, error=ERROR, micro=False)


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=SVG_SCALE, border=BORDER, title=url)
    return buffer.getvalue()


def qr_png(url: str, scale: int = PNG_SCALE) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=BORDER)
    return buffer.getvalue()


def qr_inline_svg(url: str) -> str:
    """The QR code as an ``<svg>`` element, for the panel (segno writes it from the URL's bits only)."""
    return qr_code(url).svg_inline(scale=4, border=BORDER, title=url)


def page_url(page, request=None) -> str:
    """The page's public address, or "" when no site serves it."""
    return page.get_full_url(request) or ""
