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


def edited_grid(tmp_path, monkeypatch, criterion, **cells):
    """The grid with the row of ``criterion`` changed (page columns, tests, verification_manuelle)."""
    with build.GRID.open(newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["critere"] == criterion:
            row.update(cells)
    grid = tmp_path / "rgaa-grid.csv"
    with grid.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(build, "GRID", grid)


def test_no_conforme_on_a_manual_check_not_made(tmp_path, monkeypatch):
    edited_grid(
        tmp_path, monkeypatch, "8.2", verification_manuelle="Valider le code avec le validateur du W3C."
    )
    with pytest.raises(build.GridError, match="8.2: C on a manual check not made"):
        build.read_grid()


def test_no_conforme_without_a_test_or_a_dated_review(tmp_path, monkeypatch):
    edited_grid(tmp_path, monkeypatch, "11.7", tests="", verification_manuelle="")
    with pytest.raises(build.GridError, match="11.7: no evidence"):
        build.read_grid()


def test_a_dated_review_is_evidence(tmp_path, monkeypatch):
    edited_grid(
        tmp_path, monkeypatch, "11.7", tests="", verification_manuelle="revue manuelle (2026-11-29) : lu."
    )
    _audit, rows = build.read_grid()
    assert next(row for row in rows if row["critere"] == "11.7")["tests"] == ""


def test_to_verify_says_what_remains(tmp_path, monkeypatch):
    edited_grid(tmp_path, monkeypatch, "7.1", verification_manuelle="revue manuelle (2026-11-29) : lu.")
    with pytest.raises(build.GridError, match="7.1: AV without the check that remains"):
        build.read_grid()


def test_every_manual_text_of_an_applicable_criterion_is_a_review_or_what_remains():
    _audit, rows = build.read_grid()
    for row in rows:
        statuses = {row[page] for page in _audit["pages"]}
        manual = row["verification_manuelle"].strip()
        if statuses - {"NA"} and manual:
            assert build.REVIEW.match(manual) or "AV" in "|".join(statuses), row["critere"]


def test_to_verify_counts_as_not_conforme_and_is_listed():
    audit = {"designs": ["standalone", "dsfr"], "pages": {"a": "A"}, "statement": {}}
    audit["statement"] = dict.fromkeys(("derogations", "exempt", "technologies", "tools", "environment"), [])
    rows = [
        {"critere": "7.1", "intitule": "Scripts", "a": "AV", "verification_manuelle": "Lecteur d'écran."},
        {"critere": "8.2", "intitule": "Code valide", "a": "C", "verification_manuelle": ""},
    ]
    data = build.compute({**audit, "referential": "", "date": "", "auditor": ""}, rows)
    assert data["designs"]["dsfr"]["rate"] == 50
    assert data["designs"]["dsfr"]["pages"]["a"]["AV"] == 1
    assert data["to_verify"] == [
        {
            "criterion": "7.1",
            "title": "Scripts",
            "where": ["A (standalone)", "A (dsfr)"],
            "remains": "Lecteur d'écran.",
        }
    ]
    assert data["non_conformities"] == []


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
