from pathlib import Path

import pytest

from wagtail_qf.communes import search
from wagtail_qf.communes.build import build, write

SOURCE = Path(__file__).parent / "etalab"


@pytest.fixture
def data_file(tmp_path):
    """The data file built from the small Etalab-shaped fixture in ``etalab/``."""
    path = tmp_path / "communes.tsv.gz"
    write(build(SOURCE), path)
    yield path
    search.reset()
