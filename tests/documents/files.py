"""Files for the documents' tests: real PDFs and images, made here, and the hostile ones."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

# The antivirus test file (EICAR): harmless, recognised by every scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def upload(name: str, data: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    """What the browser sends: the name and type are the sender's, not to be believed."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf(*, padding: int = 0, javascript: bool = False, password: str = "", attachment: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.open_destination = writer.pages[0]  # « open at page 1 »: a harmless /OpenAction
    if javascript:  # written by hand: ``add_open_action`` came after pypdf 5.0, our lowest
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('bonjour')"),
            }
        )
    if attachment:
        writer.add_attachment("facture.exe", b"MZ not really")
    if password:
        writer.encrypt(password)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def handmade_pdf(catalog_extra: str, action="<< /S /JavaScript /JS (app.alert(1)) >>") -> bytes:
    """A one-page PDF written by hand, ``catalog_extra`` in its catalog (for obfuscated names);
    its object 4 is ``action``."""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        action,
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def image(kind: str = "JPEG", size=(40, 30), exif: bool = False, comment: bytes = b"") -> bytes:
    picture = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Appareil de Mme Martin"  # Make
        data[0x0131] = "Logiciel"  # Software
        options["exif"] = data.tobytes()
    if comment:
        options["comment"] = comment
    picture.save(out, kind, **options)
    return out.getvalue()


def refuse_eicar(data: bytes) -> None:
    """A fake virus scanner (a site's ``SCAN`` hook): refuses the EICAR test file."""
    from wagtail_qf.dossiers.documents import DocumentRefused

    if EICAR in data:
        raise DocumentRefused(reason="virus")


SCANNER = "tests.documents.files.refuse_eicar"
