"""``clamd_scan``, the shipped ClamAV hook: its INSTREAM exchange with clamd, against a small
clamd speaking the protocol on a Unix socket here, and against the real one when this machine
runs it."""

import os
import shutil
import socket
import struct
import threading

import pytest

from wagtail_qf.dossiers.documents import DocumentRefused, clamd_scan

from .files import EICAR, pdf


class FakeClamd:
    """clamd's INSTREAM on a Unix socket: reads the chunks, answers FOUND for EICAR, else OK."""

    def __init__(self, path):
        self.path, self.received = str(path), []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def read(self, connection, size):
        data = b""
        while len(data) < size:
            chunk = connection.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def serve(self):
        connection, _address = self.server.accept()
        with connection:
            assert self.read(connection, len(b"zINSTREAM\0")) == b"zINSTREAM\0"
            stream = b""
            while length := struct.unpack("!L", self.read(connection, 4))[0]:
                stream += self.read(connection, length)
            self.received.append(stream)
            reply = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in stream else b"stream: OK\0"
            connection.sendall(reply)

    def close(self):
        self.thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def fake_clamd(tmp_path, settings):
    clamd = FakeClamd(tmp_path / "clamd.sock")
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"CLAMD": {"SOCKET": clamd.path}}}
    yield clamd
    clamd.close()


def test_clamd_receives_the_whole_file_and_lets_a_clean_one_in(fake_clamd):
    data = pdf(padding=200_000)  # several chunks
    clamd_scan(data)
    assert fake_clamd.received == [data]


def test_clamd_refuses_the_eicar_file(fake_clamd):
    with pytest.raises(DocumentRefused) as caught:
        clamd_scan(b"%PDF-1.4\n" + EICAR)
    assert caught.value.reason == "virus"


def test_an_unreachable_clamd_refuses_rather_than_lets_in(tmp_path, settings):
    settings.WAGTAIL_QF = {
        **settings.WAGTAIL_QF,
        "DOCUMENTS": {"CLAMD": {"SOCKET": str(tmp_path / "absent.sock"), "TIMEOUT": 1}},
    }
    with pytest.raises(DocumentRefused) as caught:
        clamd_scan(pdf())
    assert caught.value.reason == "scan_unavailable"
    assert "Réessayez dans quelques minutes" in caught.value.message


CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "/var/run/clamav/clamd.ctl")


@pytest.mark.skipif(
    not shutil.which("clamd") or not os.path.exists(CLAMD_SOCKET),
    reason="clamd is not running on this machine",
)
def test_the_real_clamd_refuses_eicar_and_accepts_a_pdf(settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"CLAMD": {"SOCKET": CLAMD_SOCKET}}}
    clamd_scan(pdf())
    with pytest.raises(DocumentRefused):
        clamd_scan(EICAR)
