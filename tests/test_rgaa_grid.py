"""The RGAA 4.1 audit grid (docs/accessibility/): complete, its evidence real, its rate published."""

import ast
import csv
import importlib.util
from pathlib import Path

import pytest

from wagtail_qf import accessibility

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("rgaa_build", ROOT / "docs" / "accessibility" / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_readme_and_statement_data_are_up_to_date():
    for path, text in build.outputs().items():
        assert path.read_text() == text, f"{path.name} is stale: run python docs/accessibility/build.py"


def test_every_criterion_of_the_13_themes_is_in_the_grid():
    _audit, rows = build.read_grid()
    assert len(rows) == 106


def test_a_missing_criterion_fails(tmp_path, monkeypatch):
    lines = build.GRID.read_text().splitlines(keepends=True)
    grid = tmp_path / "rgaa-grid.csv"
    grid.write_text("".join(line for line in lines if not line.startswith("11.13,")))
    monkeypatch.setattr(build, "GRID", grid)
    with pytest.raises(build.GridError, match="11.13"):
        build.read_grid()


def test_an_applicable_criterion_needs_evidence(tmp_path, monkeypatch):
    with build.GRID.open(newline="") as f:
        rows = list(csv.reader(f))
    rows[1][-2:] = ["", ""]  # 1.1 made applicable, without evidence
    rows[1][3] = "C"
    grid = tmp_path / "rgaa-grid.csv"
    with grid.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    monkeypatch.setattr(build, "GRID", grid)
    with pytest.raises(build.GridError, match="1.1: no evidence"):
        build.read_grid()


def test_rate_follows_the_rgaa_formula():
    audit = {"designs": ["standalone", "dsfr"], "pages": {"a": "A", "b": "B"}, "statement": {}}
    rows = [
        {"critere": "1.1", "intitule": "", "a": "C", "b": "C|NC"},
        {"critere": "1.2", "intitule": "", "a": "NC|NA", "b": "C"},
        {"critere": "1.3", "intitule": "", "a": "NA", "b": "NA"},
    ]
    audit["statement"] = dict.fromkeys(("derogations", "exempt", "technologies", "tools", "environment"), [])
    data = build.compute({**audit, "referential": "", "date": "", "auditor": ""}, rows)
    assert data["designs"]["standalone"]["rate"] == 75  # page a: 1/2, page b: 2/2
    assert data["designs"]["dsfr"]["rate"] == 75  # page a: 1/1, page b: 1/2
    assert [n["criterion"] for n in data["non_conformities"]] == ["1.1", "1.2"]


def test_every_test_named_as_evidence_exists():
    _audit, rows = build.read_grid()
    missing = []
    for test in build.test_ids(rows):
        path, name = test.split("::")
        tree = ast.parse((ROOT / path).read_text())
        if name not in {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}:
            missing.append(test)
    assert missing == []


@pytest.mark.parametrize(
    ("rate", "state"), [(100, "totalement conforme"), (99.9, "partiellement conforme"), (49, "non conforme")]
)
def test_the_legal_state_follows_the_rate(rate, state):
    assert accessibility.state(rate) == state
